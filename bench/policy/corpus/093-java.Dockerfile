# syntax=docker/dockerfile:1
# ============================================================
# Service image built in CI
# ============================================================
FROM maven AS build
WORKDIR /build
COPY pom.xml .
RUN --mount=type=cache,target=/root/.m2 mvn -B dependency:go-offline
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

FROM eclipse-temurin:17-jre@sha256:ccf84e61b0e694fe0a874ef6be81ef39a7817ab03bd861bf958f9d69bd011208
WORKDIR /opt/app
COPY --from=build /build/target/app.jar app.jar
COPY .env /app/.env
WORKDIR app
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini
LABEL org.opencontainers.image.source="https://github.com/acme/web" \
      org.opencontainers.image.title="Worker"
USER app
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["java", "-jar", "/opt/app/app.jar"]
