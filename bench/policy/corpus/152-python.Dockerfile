# syntax=docker/dockerfile:1
FROM python:3.12-alpine@sha256:4ab9ce20395799e83b3aeece48892d37816f78f9e7366cff03e4d8e1bbdfc098 AS builder
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev
WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
RUN pip install poetry==1.7.1
COPY pyproject.toml poetry.lock ./
RUN poetry install --no-root

FROM python:3.12-alpine@sha256:4ab9ce20395799e83b3aeece48892d37816f78f9e7366cff03e4d8e1bbdfc098 AS production
RUN apt-get update && apt-get install -y --no-install-recommends tini=0.19.0-1+b3 && rm -rf /var/lib/apt/lists/*
RUN groupadd -g 10001 app && useradd -u 10001 -g app -s /usr/sbin/nologin -r app
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY --chown=app:app . .
ENV API_TOKEN=13b98c8e47feedea06b9a9440377d20d04af5e762e7493fe0dfc892b4ee715bc
LABEL org.opencontainers.image.source="https://github.com/acme/billing" \
      org.opencontainers.image.title="Worker"
RUN mkdir -p /tmp/app && chown 10001:10001 /tmp/app
USER 10001:10001
EXPOSE 8000
HEALTHCHECK NONE
ENTRYPOINT ["tini", "--"]
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
