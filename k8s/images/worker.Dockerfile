# syntax=docker/dockerfile:1
# The inference worker, for NVIDIA GPUs (FLAVOR=cuda, the default) or CPUs (FLAVOR=cpu, the
# development overlay's image). Build from the repository root:
#   docker build -f k8s/images/worker.Dockerfile -t inferpipe/inference-worker:0.1.0-SNAPSHOT .
#   docker build -f k8s/images/worker.Dockerfile --build-arg FLAVOR=cpu \
#     -t inferpipe/inference-worker-cpu:0.1.0-SNAPSHOT .
# Base images: pin them by digest with --build-arg JDK_IMAGE=eclipse-temurin:17-jdk@sha256:...
# and JRE_IMAGE=... (k8s/README.md, "Images").
ARG JDK_IMAGE=eclipse-temurin:17-jdk
ARG JRE_IMAGE=eclipse-temurin:17-jre
ARG FLAVOR=cuda

FROM ${JDK_IMAGE} AS build
ARG FLAVOR
WORKDIR /src
COPY . .
# -Pcuda leaves the CPU libtorch out of the jar (see inference-worker/pom.xml); the executable jar
# is split into Spring Boot's layers: dependencies change rarely, the application with every commit
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests $([ "$FLAVOR" = cuda ] && echo -Pcuda) package -pl inference-worker -am \
 && java -Djarmode=tools -jar inference-worker/target/inference-worker-*-exec.jar \
      extract --layers --launcher --destination /layers

FROM ${JDK_IMAGE} AS libtorch
# The CUDA 12.8 build of libtorch 2.7.1 (the version DJL 0.36's pytorch-jni was built against).
# "with-deps" carries the CUDA runtime, cuBLAS and cuDNN it needs in lib/.
ARG LIBTORCH_URL=https://download.pytorch.org/libtorch/cu128/libtorch-cxx11-abi-shared-with-deps-2.7.1%2Bcu128.zip
RUN apt-get update && apt-get install -y --no-install-recommends unzip curl \
 && curl -fsSL -o /tmp/libtorch.zip "$LIBTORCH_URL" \
 && unzip -q /tmp/libtorch.zip -d /opt \
 && rm -rf /opt/libtorch/include /opt/libtorch/share /tmp/libtorch.zip

FROM ${JRE_IMAGE} AS base-cpu
RUN apt-get update && apt-get install -y --no-install-recommends curl libgomp1 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 inferpipe \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /tmp inferpipe

# CUDA ships once, in libtorch's lib/: the base is the plain JRE (no CUDA toolkit or cuDNN of its
# own), and the NVIDIA container toolkit mounts the driver (libcuda) at run time.
FROM base-cpu AS base-cuda
COPY --from=libtorch /opt/libtorch/lib /opt/libtorch/lib
ENV PYTORCH_LIBRARY_PATH=/opt/libtorch/lib \
    PYTORCH_VERSION=2.7.1 \
    PYTORCH_FLAVOR=cu128 \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility

FROM base-${FLAVOR}
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
ENV DJL_CACHE_DIR=/var/cache/inferpipe/djl \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Dai.djl.offline=true"
USER 10001:10001
EXPOSE 8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s \
  CMD curl -fsS http://127.0.0.1:8081/v2/health/live || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher", \
            "--worker.model.cache-dir=/var/cache/inferpipe"]
