# syntax=docker/dockerfile:1
# ============================================================
# Python Production Dockerfile (FastAPI/Uvicorn)
# ============================================================
# Image size: ~150MB (Alpine) or ~120MB (slim)
# Build time: ~45s (cold) / ~10s (cached code change)
# Security: non-root, venv, no dev deps
# ============================================================
# ------ Stage 1: Build dependencies ------
FROM python:3.12-slim AS builder
# Install build dependencies (for compiled packages like psycopg2)
RUN apt-get update && apt-get install -y --no-install-recommends \
build-essential \
libpq-dev \
&& rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Create virtual environment
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
# Install Python dependencies (cache mount for pip)
COPY requirements.txt ./
RUN --mount=type=cache,target=/root/.cache/pip \
pip install --no-compile -r requirements.txt
# ------ Stage 2: Production ------
FROM python:3.12-slim AS production
# Install runtime dependencies only (not build tools)
RUN apt-get update && apt-get install -y --no-install-recommends \
libpq5 \
curl \
tini \
&& rm -rf /var/lib/apt/lists/* \
&& apt-get purge -y --auto-remove
# Create non-root user
RUN groupadd -g 10001 appgroup && \
useradd -u 10001 -g appgroup -s /usr/sbin/nologin -r appuser && \
mkdir -p /home/appuser && chown appuser:appgroup /home/appuser
WORKDIR /app
# Copy virtual environment from builder
COPY --from=builder /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
ENV PYTHONDONTWRITEBYTECODE=1
ENV PYTHONUNBUFFERED=1
# Copy application code
COPY --chown=appuser:appgroup . .
# Create writable directories
RUN mkdir -p /tmp/app && chown appuser:appgroup /tmp/app
# Labels
LABEL org.opencontainers.image.title="Python API Server"
LABEL org.opencontainers.image.source="https://github.com/company/python-api"
# Switch to non-root user
USER appuser
EXPOSE 8000
# Health check
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
CMD curl -f http://localhost:8000/health || exit 1
# Use tini for PID 1
ENTRYPOINT ["tini", "--"]
# Run with uvicorn (production ASGI server)
CMD ["uvicorn", "app.main:app", \
"--host", "0.0.0.0", \
"--port", "8000", \
"--workers", "4", \
"--no-access-log", \
"--proxy-headers", \
"--forwarded-allow-ips", "*"]
