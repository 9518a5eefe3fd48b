# One image per app: docker build --build-arg APP=orders -t orderflow/orders .
# The apps of nest-cli.json are the valid APP values (test/operations/dockerfile.spec.ts checks them).
# The Kafka Streams processor is a second target of this file (the Node runtime stays the default, last):
#   docker build --target order-analytics -t orderflow/order-analytics .
#
# Base images are pinned by exact version tag. Pin them by digest as well
# (node:24.22.3-bookworm-slim@sha256:...) where a registry can be reached to read it: it could not
# be from where this file was written, and no image was built there (no Docker engine).
ARG NODE_IMAGE=node:24.22.3-bookworm-slim
ARG MAVEN_IMAGE=maven:3.9.16-eclipse-temurin-17-noble
ARG JRE_IMAGE=eclipse-temurin:17.0.20_8-jre-noble

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
# The JVM flags of tools/system/streams-apps.ts (heap cap included); java is PID 1 and gets SIGTERM.
ENTRYPOINT ["java", "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", "/app/order-analytics.jar"]

# ---- build: every app and lib compiled once (tsc + tsc-alias) ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY libs ./libs
COPY apps ./apps
RUN npm run build

# ---- production dependencies only ----
FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# ---- runtime: one app, non-root, read-only friendly (the default target: keep it last) ----
FROM ${NODE_IMAGE} AS runtime
ARG APP
RUN test -n "${APP}" || { echo 'build with --build-arg APP=<app> (an application of nest-cli.json)' >&2; exit 1; }
ENV NODE_ENV=production \
    APP=${APP}
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist/libs ./dist/libs
COPY --from=build /app/dist/apps/${APP} ./dist/apps/${APP}
COPY package.json ./
# The node image's unprivileged user (uid 1000); Kubernetes also enforces runAsNonRoot.
USER node
# exec: node is PID 1 and receives SIGTERM itself (graceful drain, enableShutdownHooks).
# The V8 flags are tools/system/apps.ts's nodeOptions (a test keeps them equal).
CMD ["/bin/sh", "-c", "exec node --max-semi-space-size=8 dist/apps/${APP}/src/main.js"]
