# ============================================================
# Production image
# ============================================================
FROM golang:1.22-alpine@sha256:1cf6d1010eb3e2617ae648242465d381c1e698fa7052aadf48d2375374ce296b AS builder
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12 AS production
COPY --from=builder /out/server /server
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="Worker"
EXPOSE 8080
ENTRYPOINT ["/server"]
