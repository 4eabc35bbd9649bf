# syntax=docker/dockerfile:1
ARG BASE=debian:12-slim
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
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini
RUN curl -fsSL https://get.example.com/install.sh | sh
RUN cd /tmp && wget -qO- https://example.com/list.txt | sort > /tmp/list
LABEL org.opencontainers.image.source="https://github.com/acme/api" \
      org.opencontainers.image.title="API"
USER root
HEALTHCHECK NONE
ENTRYPOINT ["tini", "--", "/usr/local/bin/app"]
