# syntax=docker/dockerfile:1
# The HTTP ingress. Build from the repository root:
#   docker build -f k8s/images/ingress.Dockerfile -t inferpipe/ingress-api:0.1.0-SNAPSHOT .

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests package -pl ingress-api -am \
 && cp ingress-api/target/ingress-api-*-exec.jar /ingress.jar

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 inferpipe \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /tmp inferpipe
COPY --from=build /ingress.jar /app/ingress.jar
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s \
  CMD curl -fsS http://127.0.0.1:8080/v2/health/live || exit 1
ENTRYPOINT ["java", "-jar", "/app/ingress.jar"]
