# hadolint global ignore=DL3008
FROM python:3.11-slim-bookworm AS builder
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
RUN pip install poetry==1.7.1
COPY pyproject.toml ./
RUN poetry install --no-root

FROM python:3.11-slim-bookworm AS production
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 curl tini && rm -rf /var/lib/apt/lists/*
RUN groupadd -g 10001 app && useradd -u 10001 -g app -s /usr/sbin/nologin -r app
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY --chown=app:app . .
COPY .env /app/.env
RUN chmod 777 /tmp
RUN chmod 777 /tmp
RUN mkdir -p /tmp/app && chown 10001:10001 /tmp/app
USER 10001:10001
EXPOSE 8000
HEALTHCHECK NONE
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
