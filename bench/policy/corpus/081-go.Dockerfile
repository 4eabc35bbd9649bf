# ============================================================
# API server
# ============================================================
FROM golang:latest AS builder
RUN apk add --no-cache ca-certificates tzdata git
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
RUN go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/server ./cmd/server

FROM builder AS test
RUN go test ./...

FROM alpine:3.20 AS production
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /out/server /server
LABEL org.opencontainers.image.source="https://github.com/acme/web" \
      org.opencontainers.image.title="Web"
USER app
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["/server", "-healthcheck"]
ENTRYPOINT ["/server"]
