# syntax=docker/dockerfile:1

# edgeflags API image.
#   docker build -t edgeflags .
#   docker run --rm -p 8000:8000 edgeflags          # embedded PGlite + in-process cache
#   docker compose up                               # with PostgreSQL and Redis

# Node 24 LTS; the suites also run on Node 20 (docs/operations.md, "Supported Node versions").
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: all dependencies, compile to dist/ ------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && test -f dist/apps/api/main.js \
 && test -f apps/console/dist/index.html

# ---- production: runtime dependencies and dist/ only ------------------------
FROM ${NODE_IMAGE} AS production
ENV NODE_ENV=production \
    PORT=8000
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY --from=build /app/apps/console/dist ./apps/console/dist
# Without DATABASE_URL the service keeps an embedded PostgreSQL (PGlite) under ./.data:
# the only place the unprivileged user needs to write. Code and node_modules stay root-owned.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/api/main"]
