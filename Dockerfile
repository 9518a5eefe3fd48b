# One image per app: docker build --build-arg APP=orders -t orderflow/orders .
# The apps of nest-cli.json are the valid APP values (test/operations/dockerfile.spec.ts checks them).
#
# The base image is pinned by exact version tag. Pin it by digest as well
# (node:20.20.2-bookworm-slim@sha256:...) where a registry can be reached to read it: it could not
# be from where this file was written, and no image was built there (no Docker engine).
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

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

# ---- runtime: one app, non-root, read-only friendly ----
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
CMD ["/bin/sh", "-c", "exec node dist/apps/${APP}/src/main.js"]
