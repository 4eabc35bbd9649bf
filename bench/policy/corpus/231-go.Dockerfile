# syntax=docker/dockerfile:1.7
# ============================================================
# Worker
# ============================================================
FROM golang:latest AS builder
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12:nonroot AS production
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /out/server /server
LABEL org.opencontainers.image.source="https://github.com/acme/api" \
      org.opencontainers.image.title="Web"
MAINTAINER ops@example.com
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["/server", "-healthcheck"]
ENTRYPOINT ["/server"]
