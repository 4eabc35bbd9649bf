# ============================================================
# Production image
# ============================================================
# hadolint global ignore=DL3008
FROM golang AS builder
RUN apk add --no-cache ca-certificates tzdata git
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12 AS production
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo
ENV TZ=UTC
COPY --from=builder /out/server /server
LABEL org.opencontainers.image.source="https://github.com/acme/web" \
      org.opencontainers.image.title="Web"
EXPOSE 8080
HEALTHCHECK NONE
ENTRYPOINT ["/server"]
