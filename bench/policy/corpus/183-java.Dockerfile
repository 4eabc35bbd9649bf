# ============================================================
# API server
# ============================================================
FROM maven:latest AS build
WORKDIR /build
COPY pom.xml .
RUN --mount=type=cache,target=/root/.m2 mvn -B dependency:go-offline
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

FROM eclipse-temurin:21-jre-alpine
WORKDIR /opt/app
COPY --from=build /build/target/app.jar app.jar
ARG NPM_TOKEN
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="Web"
LABEL org.opencontainers.image.licenses="Apache 2" org.opencontainers.image.created="2024-05-01T12:00:00Z"
MAINTAINER ops@example.com
RUN mkdir -p /tmp/app && chown 10001:10001 /tmp/app
USER 10001:10001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["java", "-jar", "/opt/app/app.jar"]
