FROM maven AS build
WORKDIR /build
COPY pom.xml .
RUN --mount=type=cache,target=/root/.m2 mvn -B dependency:go-offline
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

FROM eclipse-temurin:17-jre@sha256:ccf84e61b0e694fe0a874ef6be81ef39a7817ab03bd861bf958f9d69bd011208
WORKDIR /opt/app
COPY --from=build /build/target/app.jar app.jar
EXPOSE 22
ENV API_TOKEN=5e85960412a8e9c437c6e944bcf622808a9d6a4a96441a12cdddb854c47ad8ea
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD wget -q --spider http://localhost:8080/actuator/health || exit 1
ENTRYPOINT ["java", "-jar", "/opt/app/app.jar"]
