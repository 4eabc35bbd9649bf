# syntax=docker/dockerfile:1
# hadolint global ignore=DL3008
FROM golang:1.22-alpine@sha256:1cf6d1010eb3e2617ae648242465d381c1e698fa7052aadf48d2375374ce296b AS builder
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
RUN go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/server ./cmd/server

FROM alpine:3.20 AS production
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo
ENV TZ=UTC
COPY --from=builder /out/server /server
LABEL org.opencontainers.image.source="https://github.com/acme/api" \
      org.opencontainers.image.title="API"
USER root
EXPOSE 8080
ENTRYPOINT ["/server"]
