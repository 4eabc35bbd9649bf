FROM python:3.11-slim-bookworm AS builder
RUN apt-get update && apt-get install -y build-essential libpq-dev
WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.11-slim-bookworm AS production
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
RUN groupadd -g 10001 app && useradd -u 10001 -g app -s /usr/sbin/nologin -r app
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY --chown=app:app . .
COPY .env /app/.env
RUN chmod 777 /tmp
ENV API_TOKEN=aed7be197c1ce8fda91fc204296c02009816824a78b0d55933063cf967bf9031
LABEL org.opencontainers.image.source="https://github.com/acme/api" \
      org.opencontainers.image.title="Worker"
LABEL org.opencontainers.image.licenses="MIT" org.opencontainers.image.created="2024-05-01T12:00:00Z"
USER 10001:10001
EXPOSE 8000
HEALTHCHECK NONE
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
