# syntax=docker/dockerfile:1.10-labs
# ============================================================
# Service image built in CI
# ============================================================
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /build
COPY pom.xml .
RUN --mount=type=cache,target=/root/.m2 mvn -B dependency:go-offline
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

FROM eclipse-temurin:latest
WORKDIR /opt/app
COPY --from=build /build/target/app.jar app.jar
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="Worker"
LABEL org.opencontainers.image.licenses="MIT" org.opencontainers.image.created="2024-05-01T12:00:00Z"
USER app
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD wget -q --spider http://localhost:8080/actuator/health || exit 1
ENTRYPOINT ["java", "-jar", "/opt/app/app.jar"]
