FROM maven:3.9.6-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml .
RUN --mount=type=cache,target=/root/.m2 mvn -B dependency:go-offline
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

FROM eclipse-temurin:latest
WORKDIR /opt/app
COPY --from=build /build/target/app.jar app.jar
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="API"
RUN mkdir -p /tmp/app && chown 10001:10001 /tmp/app
USER 10001:10001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["java", "-jar", "/opt/app/app.jar"]
