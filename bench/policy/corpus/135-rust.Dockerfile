# syntax=docker/dockerfile:1.10-labs
# ============================================================
# Production image
# ============================================================
# hadolint global ignore=DL3008
FROM rust:1.79-slim-bookworm@sha256:606bd4cb9e687a55a7d762922f6be951d271239b7c7d0c7319aab8ca7429391b AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --release && rm -rf src
COPY . .
RUN cargo build --release

FROM scratch
COPY --from=build /src/target/release/app /app
LABEL org.opencontainers.image.source="https://github.com/acme/billing" \
      org.opencontainers.image.title="Web"
LABEL org.opencontainers.image.licenses="Apache 2" org.opencontainers.image.created="2024-05-01T12:00:00Z"
USER 10001:10001
ENTRYPOINT ["/app"]
