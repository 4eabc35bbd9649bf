FROM rust:1.78@sha256:c7e256c7147c76146e6a191602f0973bda1811f9cae8d29b73a0ad9d2a670097 AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --release && rm -rf src
COPY . .
RUN cargo build --release

FROM scratch
COPY --from=build /src/target/release/app /app
USER root
ENTRYPOINT ["/app"]
