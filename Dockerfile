# One image per app: docker build --build-arg APP=users -t trendcast-users .
# Stage 1 bundles the app (its @trendcast/* packages included) with tools/build-app.mjs;
# stage 2 holds the bundle plus that app's production npm dependencies only.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG APP
WORKDIR /repo
COPY . .
RUN test -n "$APP" && test -f "apps/$APP/src/main.ts" \
 && npm ci --ignore-scripts --no-audit --no-fund \
 && node tools/patch-dependencies.mjs \
 && node tools/build-app.mjs "apps/$APP" \
 && mkdir -p "apps/$APP/drizzle" \
 && mkdir /manifests \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests \; \
 && cp package-lock.json .npmrc /manifests/

FROM ${NODE_IMAGE} AS runtime
ARG APP
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /manifests/ ./
COPY --from=build /repo/tools/patch-dependencies.mjs tools/
COPY --from=build /repo/patches patches
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace "apps/$APP" \
 && node tools/patch-dependencies.mjs \
 && npm cache clean --force
COPY --from=build /repo/apps/${APP}/dist apps/${APP}/dist
COPY --from=build /repo/apps/${APP}/drizzle apps/${APP}/drizzle
WORKDIR /app/apps/${APP}
USER node
# Migrations run from the same image: command ["node", "dist/db/migrate.js"].
CMD ["node", "--enable-source-maps", "dist/main.js"]
