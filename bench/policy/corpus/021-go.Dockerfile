# syntax=docker/dockerfile:1.7
# ============================================================
# Service image built in CI
# ============================================================
FROM golang AS builder
RUN apk add --no-cache ca-certificates tzdata git
WORKDIR /src
COPY . .
RUN go mod download
ARG VERSION=dev
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/server ./cmd/server

FROM alpine:3.20 AS production
COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo
ENV TZ=UTC
COPY --from=builder /out/server /server
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="Web"
USER app
EXPOSE 8080
ENTRYPOINT ["/server"]
