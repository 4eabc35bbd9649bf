# syntax=docker/dockerfile:1.10-labs
# ============================================================
# API server
# ============================================================
FROM golang:1.22-alpine@sha256:1cf6d1010eb3e2617ae648242465d381c1e698fa7052aadf48d2375374ce296b AS builder
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12 AS production
COPY --from=builder /out/server /server
LABEL org.opencontainers.image.source="https://github.com/acme/web" \
      org.opencontainers.image.title="Worker"
USER 10001:10001
EXPOSE 8080
HEALTHCHECK NONE
ENTRYPOINT ["/server"]
