# ============================================================
# Worker
# ============================================================
FROM python:3.12-slim@sha256:e6c4feb4d195bf578aa1f0e82518f20169cca0a53101f8b6450b66df7becc09d AS builder
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev
WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY requirements.txt ./
RUN pip install -r requirements.txt

FROM python:3.12-slim@sha256:e6c4feb4d195bf578aa1f0e82518f20169cca0a53101f8b6450b66df7becc09d AS production
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 curl tini && rm -rf /var/lib/apt/lists/*
RUN groupadd -g 10001 app && useradd -u 10001 -g app -s /usr/sbin/nologin -r app
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY . .
EXPOSE 22
LABEL org.opencontainers.image.source="https://github.com/acme/web" \
      org.opencontainers.image.title="Worker"
USER root
EXPOSE 8000
ENTRYPOINT ["tini", "--"]
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
