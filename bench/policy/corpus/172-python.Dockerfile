# ============================================================
# API server
# ============================================================
FROM python:3.12 AS builder
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev
WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY requirements.txt ./
RUN pip install -r requirements.txt

FROM python:3.12 AS production
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 curl tini && rm -rf /var/lib/apt/lists/*
RUN groupadd -g 10001 app && useradd -u 10001 -g app -s /usr/sbin/nologin -r app
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY --chown=app:app . .
ARG NPM_TOKEN
RUN chmod 777 /tmp
LABEL org.opencontainers.image.source="https://github.com/acme/billing" \
      org.opencontainers.image.title="API"
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD curl -f http://localhost:8000/health || exit 1
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
