# syntax=docker/dockerfile:1
# The inference worker for NVIDIA GPUs: libtorch 2.7.1 built for CUDA 12.8, loaded by DJL.
# Build from the repository root:
#   docker build -f k8s/images/worker.Dockerfile -t inferpipe/inference-worker:0.1.0-SNAPSHOT .

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
# -Pcuda leaves the CPU libtorch out of the jar (see inference-worker/pom.xml)
RUN ./mvnw -B -q -DskipTests -Pcuda package -pl inference-worker -am \
 && cp inference-worker/target/inference-worker-*-exec.jar /worker.jar

FROM eclipse-temurin:17-jdk AS libtorch
# The CUDA 12.8 build of libtorch 2.7.1 (the version DJL 0.36's pytorch-jni was built against).
ARG LIBTORCH_URL=https://download.pytorch.org/libtorch/cu128/libtorch-cxx11-abi-shared-with-deps-2.7.1%2Bcu128.zip
RUN apt-get update && apt-get install -y --no-install-recommends unzip curl \
 && curl -fsSL -o /tmp/libtorch.zip "$LIBTORCH_URL" \
 && unzip -q /tmp/libtorch.zip -d /opt \
 && rm -rf /opt/libtorch/include /opt/libtorch/share /tmp/libtorch.zip

FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04
RUN apt-get update && apt-get install -y --no-install-recommends curl libgomp1 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 inferpipe \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /tmp inferpipe
COPY --from=eclipse-temurin:17-jre /opt/java/openjdk /opt/java/openjdk
COPY --from=libtorch /opt/libtorch/lib /opt/libtorch/lib
COPY --from=build /worker.jar /app/worker.jar
ENV PATH=/opt/java/openjdk/bin:$PATH \
    PYTORCH_LIBRARY_PATH=/opt/libtorch/lib \
    PYTORCH_VERSION=2.7.1 \
    PYTORCH_FLAVOR=cu128 \
    DJL_CACHE_DIR=/var/cache/inferpipe/djl \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Dai.djl.offline=true"
USER 10001:10001
EXPOSE 8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s \
  CMD curl -fsS http://127.0.0.1:8081/v2/health/live || exit 1
ENTRYPOINT ["java", "-jar", "/app/worker.jar", "--worker.model.cache-dir=/var/cache/inferpipe"]
