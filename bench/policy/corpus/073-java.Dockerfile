FROM maven:3.9.6-eclipse-temurin-17@sha256:f6f30a99255f36bcc288130887ca8674cccd0225cb07ef859614254b4076c7b6 AS build
WORKDIR /build
COPY pom.xml .
RUN --mount=type=cache,target=/root/.m2 mvn -B dependency:go-offline
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

FROM eclipse-temurin:21-jre-alpine@sha256:8145c1105e7851e38107c56f245e8e4050615c416386566c5495d31b600d707a
WORKDIR /opt/app
COPY --from=build /build/target/app.jar app.jar
WORKDIR app
EXPOSE 22
USER 10001:10001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD wget -q --spider http://localhost:8080/actuator/health || exit 1
ENTRYPOINT ["java", "-jar", "/opt/app/app.jar"]
