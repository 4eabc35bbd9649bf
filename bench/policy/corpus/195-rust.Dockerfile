# ============================================================
# Service image built in CI
# ============================================================
FROM rust:1.79-slim-bookworm@sha256:606bd4cb9e687a55a7d762922f6be951d271239b7c7d0c7319aab8ca7429391b AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --release && rm -rf src
COPY . .
RUN cargo build --release

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/app /app
USER app
ENTRYPOINT ["/app"]
