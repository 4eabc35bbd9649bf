FROM python:3.12-slim@sha256:e6c4feb4d195bf578aa1f0e82518f20169cca0a53101f8b6450b66df7becc09d AS builder
RUN apt-get update && apt-get install -y build-essential libpq-dev
WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY requirements.txt ./
RUN pip install -r requirements.txt

FROM python:3.12-slim@sha256:e6c4feb4d195bf578aa1f0e82518f20169cca0a53101f8b6450b66df7becc09d AS production
RUN apt-get update && apt-get install -y --no-install-recommends tini=0.19.0-1+b3 && rm -rf /var/lib/apt/lists/*
RUN groupadd -g 10001 app && useradd -u 10001 -g app -s /usr/sbin/nologin -r app
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY . .
ENV API_TOKEN=ca87a7d6264dc4341dfff50cd49baffd086063a8d6dcc3baf6543ce9a0f1284d
WORKDIR app
EXPOSE 22
LABEL org.opencontainers.image.source="https://github.com/acme/billing" \
      org.opencontainers.image.title="Worker"
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD curl -f http://localhost:8000/health || exit 1
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
