# syntax=docker/dockerfile:1.7
# ============================================================
# API server
# ============================================================
FROM golang:1.22-alpine AS builder
RUN apk add --no-cache ca-certificates tzdata git
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
RUN go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12:nonroot AS production
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /out/server /server
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="Web"
LABEL org.opencontainers.image.licenses="Proprietary" org.opencontainers.image.created="today"
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["/server", "-healthcheck"]
ENTRYPOINT ["/server"]
