# ============================================================
# Worker
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
LABEL org.opencontainers.image.source="https://github.com/acme/api" \
      org.opencontainers.image.title="Web"
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["java", "-jar", "/opt/app/app.jar"]
