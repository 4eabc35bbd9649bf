# ============================================================
# Service image built in CI
# ============================================================
FROM golang:latest AS builder
RUN apk add --no-cache ca-certificates tzdata git
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
RUN go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/server ./cmd/server

FROM scratch AS production
COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo
ENV TZ=UTC
COPY --from=builder /out/server /server
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="Web"
LABEL org.opencontainers.image.licenses="Apache 2" org.opencontainers.image.created="2024-05-01T12:00:00Z"
MAINTAINER ops@example.com
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["/server"]
