# syntax=docker/dockerfile:1
ARG BASE=debian:12-slim@sha256:257384d03a1cf20dfc3acc1eb93180c45e3be5434a6de05d725b76de304c8342
FROM ${BASE} AS base
# prodimage:ignore=package-pin -- distro packages follow the pinned base
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends ca-certificates curl tini
rm -rf /var/lib/apt/lists/*
EOF
COPY <<EOF /etc/app/config.yaml
listen: :8080
log_level: info
EOF
ONBUILD COPY . /app
ONBUILD RUN make -C /app

FROM base AS production
COPY --link --chown=10001:10001 --from=0 /usr/local/bin/app /usr/local/bin/app
WORKDIR app
COPY .env /app/.env
RUN curl -fsSL https://get.example.com/install.sh | sh
LABEL org.opencontainers.image.source="https://github.com/acme/api" \
      org.opencontainers.image.title="API"
LABEL org.opencontainers.image.licenses="Proprietary" org.opencontainers.image.created="today"
RUN mkdir -p /tmp/app && chown 10001:10001 /tmp/app
USER 10001:10001
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/health || exit 1
ENTRYPOINT ["tini", "--", "/usr/local/bin/app"]
