# ============================================================
# API server
# ============================================================
FROM golang:1.22-alpine@sha256:1cf6d1010eb3e2617ae648242465d381c1e698fa7052aadf48d2375374ce296b AS builder
RUN apk add --no-cache ca-certificates tzdata git
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/server ./cmd/server

FROM alpine:3.20 AS production
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /out/server /server
LABEL org.opencontainers.image.source="https://github.com/acme/api" \
      org.opencontainers.image.title="API"
LABEL org.opencontainers.image.licenses="Apache-2.0" org.opencontainers.image.created="2024-05-01T12:00:00Z"
EXPOSE 8080
HEALTHCHECK NONE
ENTRYPOINT ["/server"]
