FROM maven:3.9-eclipse-temurin-21@sha256:2d671cc1059a4d3471e363561f19786a4bc6aeadb712302289e46d89323cd5e5 AS build
WORKDIR /build
COPY pom.xml .
RUN --mount=type=cache,target=/root/.m2 mvn -B dependency:go-offline
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

FROM eclipse-temurin:17-jre@sha256:ccf84e61b0e694fe0a874ef6be81ef39a7817ab03bd861bf958f9d69bd011208
WORKDIR /opt/app
COPY --from=build /build/target/app.jar app.jar
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="Web"
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["java", "-jar", "/opt/app/app.jar"]
