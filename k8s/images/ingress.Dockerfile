# syntax=docker/dockerfile:1
# The HTTP ingress. Build from the repository root:
#   docker build -f k8s/images/ingress.Dockerfile -t inferpipe/ingress-api:0.1.0-SNAPSHOT .
# Base images: pin them by digest with --build-arg JDK_IMAGE=eclipse-temurin:17-jdk@sha256:...
# and JRE_IMAGE=... (k8s/README.md, "Images").
ARG JDK_IMAGE=eclipse-temurin:17-jdk
ARG JRE_IMAGE=eclipse-temurin:17-jre

FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY . .
# the executable jar, split into Spring Boot's layers: dependencies change rarely, the application
# with every commit
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests package -pl ingress-api -am \
 && java -Djarmode=tools -jar ingress-api/target/ingress-api-*-exec.jar \
      extract --layers --launcher --destination /layers

FROM ${JRE_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 inferpipe \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /tmp inferpipe
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s \
  CMD curl -fsS http://127.0.0.1:8080/v2/health/live || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
