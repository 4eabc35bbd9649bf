FROM maven AS build
WORKDIR /build
COPY pom.xml .
RUN --mount=type=cache,target=/root/.m2 mvn -B dependency:go-offline
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /opt/app
COPY --from=build /build/target/app.jar app.jar
RUN chmod 777 /tmp
RUN cd /tmp && wget -qO- https://example.com/list.txt | sort > /tmp/list
ARG NPM_TOKEN
LABEL org.opencontainers.image.source="https://github.com/acme/web" \
      org.opencontainers.image.title="API"
USER 10001:10001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
HEALTHCHECK NONE
ENTRYPOINT ["java", "-jar", "/opt/app/app.jar"]
