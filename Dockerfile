# dlserve in one image: the API (which also serves the app and /assets/ when run alone) and,
# as the target `nginx`, the official nginx image with the built app and deploy/nginx.compose.conf.
#   docker build -t dlserve .            the API (the last stage)
#   docker compose up                    the API behind nginx on http://localhost:8080

ARG NODE_IMAGE=node:20-bookworm-slim
ARG NGINX_IMAGE=nginx:1.28-bookworm

FROM ${NODE_IMAGE} AS base
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true TURBO_TELEMETRY_DISABLED=1 \
    ONNXRUNTIME_NODE_INSTALL=skip
# The version package.json's packageManager names (npm, not corepack: no signature keys to trust).
RUN npm install -g pnpm@10.34.8 && npm cache clean --force
WORKDIR /app

# 1. Every package of the lockfile into pnpm's store: this layer changes only with the lockfile.
FROM base AS fetch
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
# The store stays in this layer (not a cache mount), so that a cached layer always has its packages.
RUN pnpm fetch --store-dir=/pnpm/store

# 2. Install from the store (no network) and build everything with turbo.
FROM fetch AS build
COPY . .
RUN pnpm install --offline --frozen-lockfile --store-dir=/pnpm/store
RUN pnpm build

# 3. Production dependencies of the API and its workspace package only (pnpm 10's `deploy` wants
# inject-workspace-packages, and its --legacy mode ignores the lockfile, so: a filtered --prod
# install of the same lockfile, from the package manifests alone).
FROM fetch AS prod-deps
COPY package.json ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY packages/shared/package.json packages/shared/
COPY tools/model-converter/package.json tools/model-converter/
RUN pnpm install --offline --frozen-lockfile --prod --filter '@dlserve/api...' --store-dir=/pnpm/store

# nginx in front: the official image, the built app, the repository's nginx.conf rendered for compose.
FROM ${NGINX_IMAGE} AS nginx
RUN mkdir -p /srv/dlserve/assets
COPY deploy/nginx.compose.conf /etc/nginx/nginx.conf
COPY --from=build /app/apps/web/dist/ /usr/share/nginx/html/
EXPOSE 80

# The API: the repository's layout, so that the defaults (apps/web/dist, models/, data/) hold.
FROM ${NODE_IMAGE} AS api
ENV NODE_ENV=production HOST=0.0.0.0 PORT=1127 ONNXRUNTIME_NODE_INSTALL=skip
WORKDIR /app
# Dependencies first (they change least), then the models, then the code.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=prod-deps /app/apps/api/node_modules ./apps/api/node_modules
COPY models ./models
COPY --from=build /app/packages/shared/package.json ./packages/shared/
COPY --from=build /app/packages/shared/dist ./packages/shared/dist
COPY --from=build /app/apps/api/package.json ./apps/api/
COPY --from=build /app/apps/api/dist/src ./apps/api/dist/src
COPY --from=build /app/apps/web/dist ./apps/web/dist
# Results and uploads belong to the unprivileged `node` user; named volumes mounted here start
# with this ownership.
RUN mkdir -p data/assets data/uploads && chown -R node:node data
USER node
VOLUME ["/app/data/assets", "/app/data/uploads"]
EXPOSE 1127
# Ready (200) once every enabled model is loaded and warmed; node, as the slim image has no curl.
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||1127)+'/api/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM reaches node itself (exec form), which drains requests for SHUTDOWN_GRACE_SECONDS.
STOPSIGNAL SIGTERM
CMD ["node", "apps/api/dist/src/main.js"]
