# syntax=docker/dockerfile:1.10-labs
FROM maven AS build
WORKDIR /build
COPY pom.xml .
RUN --mount=type=cache,target=/root/.m2 mvn -B dependency:go-offline
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

FROM eclipse-temurin:17-jre@sha256:ccf84e61b0e694fe0a874ef6be81ef39a7817ab03bd861bf958f9d69bd011208
WORKDIR /opt/app
COPY --from=build /build/target/app.jar app.jar
WORKDIR app
RUN chmod 777 /tmp
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini
RUN mkdir -p /tmp/app && chown 10001:10001 /tmp/app
USER 10001:10001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
HEALTHCHECK NONE
ENTRYPOINT ["java", "-jar", "/opt/app/app.jar"]
