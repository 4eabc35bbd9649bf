# ============================================================
# Production image
# ============================================================
FROM python:3.12-slim@sha256:e6c4feb4d195bf578aa1f0e82518f20169cca0a53101f8b6450b66df7becc09d AS builder
RUN apt-get update && apt-get install -y build-essential libpq-dev
WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
RUN pip install poetry==1.7.1
COPY pyproject.toml poetry.lock ./
RUN poetry install --no-root

FROM python:3.12-slim@sha256:e6c4feb4d195bf578aa1f0e82518f20169cca0a53101f8b6450b66df7becc09d AS production
RUN apt-get update && apt-get install -y --no-install-recommends tini=0.19.0-1+b3 && rm -rf /var/lib/apt/lists/*
RUN groupadd -g 10001 app && useradd -u 10001 -g app -s /usr/sbin/nologin -r app
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY --chown=app:app . .
ENV API_TOKEN=f6a2d747615c319b91f384fa2d8db85dbe15bc3ac50cf5ada405c7b897c1ad04
RUN curl -fsSL https://get.example.com/install.sh | sh
ARG NPM_TOKEN
LABEL org.opencontainers.image.source="https://github.com/acme/api" \
      org.opencontainers.image.title="Web"
RUN mkdir -p /tmp/app && chown 10001:10001 /tmp/app
USER 10001:10001
EXPOSE 8000
HEALTHCHECK NONE
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
