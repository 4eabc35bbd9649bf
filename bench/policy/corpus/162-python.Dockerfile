# ============================================================
# API server
# ============================================================
FROM python:3.11-slim-bookworm@sha256:c49332ee6b92a57b8306b0d5602bf05da7cb11d5c9305f6cd048b4b5836676c2 AS builder
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev
WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
RUN pip install poetry==1.7.1
COPY pyproject.toml poetry.lock ./
RUN poetry install --without dev --no-root

FROM python:3.11-slim-bookworm@sha256:c49332ee6b92a57b8306b0d5602bf05da7cb11d5c9305f6cd048b4b5836676c2 AS production
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN groupadd -g 10001 app && useradd -u 10001 -g app -s /usr/sbin/nologin -r app
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY . .
LABEL org.opencontainers.image.source="https://github.com/acme/api" \
      org.opencontainers.image.title="Web"
RUN mkdir -p /tmp/app && chown 10001:10001 /tmp/app
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD curl -f http://localhost:8000/health || exit 1
ENTRYPOINT ["tini", "--"]
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
