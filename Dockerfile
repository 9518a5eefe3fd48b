# One image per app: docker build --build-arg APP=orders --build-arg HTTP_PORT=3101 -t orderflow/orders .
# The apps of nest-cli.json are the valid APP values (test/operations/dockerfile.spec.ts checks them).
# The Kafka Streams processor is a second target of this file (the Node runtime stays the default, last):
#   docker build --target order-analytics -t orderflow/order-analytics .
# Without a Docker engine: npm run images:build (buildah, and base images assembled from Debian; docs/images.md).
#
# The base images are build arguments: npm run images:build passes locally assembled ones (a Debian
# bookworm root filesystem from debootstrap plus Node 24 or Debian's OpenJDK 17), since Docker Hub
# cannot be reached from where the images are built and tested. The defaults are the upstream images,
# pinned by digest where it could be read. The maven and eclipse-temurin digests are the ones public
# repositories pin for these exact tags; they could not be checked against Docker Hub from here.
# No digest for node:24.22.3-bookworm-slim could be found or read from here: it is pinned by its exact
# version tag only. Add the digest (docker buildx imagetools inspect node:24.22.3-bookworm-slim) where
# a registry can be reached.
ARG NODE_IMAGE=node:24.22.3-bookworm-slim
ARG MAVEN_IMAGE=maven:3.9.16-eclipse-temurin-17-noble@sha256:1ed5d1f54416b706707b4f3238f63a20bb06aab27c6d240090a2bb9ad895ed45
ARG JRE_IMAGE=eclipse-temurin:17.0.20_8-jre-noble@sha256:76bf6d763e84e4d286d5ee3df61e4adeca214977f83c7d8d2327b93db582dd9d

# ---- streams-build: the stream processor's runnable jar (mvn package, shaded) ----
FROM ${MAVEN_IMAGE} AS streams-build
WORKDIR /build
COPY streams/order-analytics/pom.xml ./
# Dependencies in their own layer: a source change downloads few of them again. Not `package -o`
# after it: go-offline misses some plugin components (maven-resources-plugin's filtering, tried).
RUN mvn -B -ntp dependency:go-offline
COPY streams/order-analytics/src ./src
# The topology tests run in CI (npm run test:streams), not in the image build.
RUN mvn -B -ntp package -DskipTests

# ---- order-analytics: the Kafka Streams processor, non-root, state on a volume ----
FROM ${JRE_IMAGE} AS order-analytics
# One RUN and one COPY: every layer is a full copy of the file system under buildah's vfs driver.
RUN groupadd --system --gid 10001 orderflow \
    && useradd --system --uid 10001 --gid orderflow --no-create-home --shell /usr/sbin/nologin orderflow \
    && install -d -o orderflow -g orderflow -m 0750 /var/lib/order-analytics
WORKDIR /app
COPY --from=streams-build /build/target/order-analytics.jar ./order-analytics.jar
# RocksDB state; Streams restores it from the changelog topics when the volume starts empty.
ENV STATE_DIR=/var/lib/order-analytics \
    HTTP_PORT=3108
VOLUME ["/var/lib/order-analytics"]
EXPOSE 3108
USER 10001:10001
# Ready while the streams are RUNNING. Bash's /dev/tcp: the JRE image has neither curl nor node.
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${HTTP_PORT} && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && read -r _ status _ <&3 && [ \"$status\" = 200 ]"]
# The JVM flags of tools/system/streams-apps.ts (heap cap included); java is PID 1 and gets SIGTERM.
ENTRYPOINT ["java", "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", "/app/order-analytics.jar"]

# Under buildah's vfs driver every step copies the whole file system (--layers keeps one per step), so
# the runtime's steps that all apps share come before the ones that name the app. (A bind mount of the
# dependencies into the build's RUN would spare copying them; buildah 1.28 mounts the wrong path.)

# ---- dependencies: every npm package, dev ones included, for the build ----
FROM ${NODE_IMAGE} AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# npm's download cache outlives the build (BuildKit and buildah cache mounts), not the image.
RUN --mount=type=cache,target=/root/.npm,sharing=locked npm ci --ignore-scripts --no-audit --no-fund

# ---- build: every app and lib compiled once (tsc + tsc-alias) ----
FROM dependencies AS build
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY libs ./libs
COPY apps ./apps
RUN npm run build

# ---- production dependencies only ----
FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# ---- runtime: one app, non-root, read-only friendly (the default target: keep it last) ----
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# A numeric uid (the node image's `node` user), so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
# Ready: Kafka group joined, database answering (the apps' /health/ready). Bash's /dev/tcp, not a
# second node process every interval.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${HTTP_PORT} && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && read -r _ status _ <&3 && [ \"$status\" = 200 ]"]
# exec: node is PID 1 and receives SIGTERM itself (graceful drain, enableShutdownHooks).
# The V8 flags are tools/system/apps.ts's nodeOptions (a test keeps them equal).
CMD ["/bin/sh", "-c", "exec node --max-semi-space-size=8 dist/apps/${APP}/src/main.js"]
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist/libs ./dist/libs
ARG APP
# Where the app listens when HTTP_PORT is not set where it runs; npm run images:build passes each
# app's local port (tools/system/apps.ts). Kubernetes and compose set HTTP_PORT themselves.
ARG HTTP_PORT=3000
ENV NODE_ENV=production \
    APP=${APP} \
    HTTP_PORT=${HTTP_PORT}
# The app's compiled sources only; an empty APP names no directory and fails here.
COPY --from=build /app/dist/apps/${APP}/src ./dist/apps/${APP}/src
