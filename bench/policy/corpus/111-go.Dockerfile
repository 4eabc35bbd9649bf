# hadolint global ignore=DL3008
FROM golang:1.22.5-bookworm@sha256:d2108af28474be1837e5604bfff34b4e0f35ed05e491af695cb90f8c03e889f6 AS builder
RUN apk add --no-cache ca-certificates tzdata git
WORKDIR /src
COPY . .
RUN go mod download
ARG VERSION=dev
RUN go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12:nonroot AS production
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /out/server /server
LABEL org.opencontainers.image.source="https://github.com/acme/billing" \
      org.opencontainers.image.title="Web"
LABEL org.opencontainers.image.licenses="Proprietary" org.opencontainers.image.created="2024-05-01T12:00:00Z"
MAINTAINER ops@example.com
USER root
EXPOSE 8080
ENTRYPOINT ["/server"]
