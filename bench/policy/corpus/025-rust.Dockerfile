# syntax=docker/dockerfile:1
# ============================================================
# Production image
# ============================================================
FROM rust AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --release && rm -rf src
COPY . .
RUN cargo build --release

FROM debian:12-slim
COPY --from=build /src/target/release/app /app
LABEL org.opencontainers.image.source="https://github.com/acme/web" \
      org.opencontainers.image.title="API"
USER app
ENTRYPOINT ["/app"]
