# syntax=docker/dockerfile:1.10-labs
# ============================================================
# API server
# ============================================================
FROM rust:1.78 AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --release && rm -rf src
COPY . .
RUN cargo build --release

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/app /app
LABEL org.opencontainers.image.source="https://github.com/acme/api" \
      org.opencontainers.image.title="Worker"
LABEL org.opencontainers.image.licenses="Apache-2.0" org.opencontainers.image.created="today"
USER app
ENTRYPOINT ["/app"]
