# syntax=docker/dockerfile:1
# Teammate in a container: `docker compose up -d` (see compose.yaml and README → Production).
# Two stages: the build stage has the C++ toolchain better-sqlite3 compiles with and the dev
# dependencies tsc needs; the runtime stage gets only the compiled app, production node_modules,
# git (indexing and clones) and runs as the unprivileged `node` user with its state under /data.

FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
# npm ci builds better-sqlite3 from source and, through `prepare`, compiles src/ into dist/.
RUN npm ci --no-audit --no-fund
# Keep the compiled native module, drop the dev dependencies (no scripts: nothing to rebuild).
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates tini \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data \
 && chown node:node /data
ENV NODE_ENV=production \
    TEAMMATE_DATA_DIR=/data \
    PORT=3000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json manifest.yml ./
COPY migrations ./migrations
COPY scripts/healthcheck.mjs ./scripts/healthcheck.mjs
USER node
# The SQLite database (teammate.db, with its -wal/-shm files) and GitHub clones live here.
VOLUME ["/data"]
# HTTP receiver (POST /slack/events, GET /healthz); unused in Socket Mode.
EXPOSE 3000
# HTTP mode: GET /healthz must answer 200. Socket Mode and the console have no HTTP endpoint: healthy while running.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
# tini forwards SIGTERM so Teammate drains answers under way before it exits.
ENTRYPOINT ["tini", "--", "node", "dist/main.js"]
CMD ["start"]
