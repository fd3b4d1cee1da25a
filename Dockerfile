# One image per app: docker build --build-arg APP=users -t trendcast-users .
# Stage 1 bundles the app (its @trendcast/* packages included) with tools/build-app.mjs, and installs
# and patches that app's production npm dependencies; stage 2 holds the bundle and those dependencies.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG APP
WORKDIR /repo
COPY . .
# Install scripts stay off (--ignore-scripts); the patches are applied explicitly and every installed
# copy is checked (tools/verify-patches.mjs), here and in the production install below.
RUN test -n "$APP" && test -f "apps/$APP/src/main.ts" \
 && npm ci --ignore-scripts --no-audit --no-fund \
 && node node_modules/patch-package/index.js --error-on-fail \
 && node tools/verify-patches.mjs \
 && node tools/build-app.mjs "apps/$APP" \
 && mkdir -p "apps/$APP/drizzle" "apps/$APP/model"
# The app's production dependencies, patched here where patch-package (a dev dependency) is at hand:
# only the patches of packages this app installs (patch-package fails on a missing one).
RUN mkdir /app \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /app \; \
 && cp package-lock.json .npmrc /app/ \
 && cd /app \
 && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace "apps/$APP" \
 && mkdir patches \
 && for patch in $(node /repo/tools/verify-patches.mjs --installed /app /repo/patches); do cp "/repo/patches/$patch" patches/; done \
 && node /repo/node_modules/patch-package/index.js --error-on-fail \
 && node /repo/tools/verify-patches.mjs /app /repo/patches \
 && rm -rf patches \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ARG APP
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/ ./
COPY --from=build /repo/apps/${APP}/dist apps/${APP}/dist
COPY --from=build /repo/apps/${APP}/drizzle apps/${APP}/drizzle
# Data files an app reads at run time (thinker's offline sentiment model, apps/thinker/model/); empty for the others.
COPY --from=build /repo/apps/${APP}/model apps/${APP}/model
WORKDIR /app/apps/${APP}
USER node
# Migrations run from the same image: command ["node", "dist/db/migrate.js"].
# The services refuse to start when a patched dependency runs unpatched (UnpatchedDependencyError).
CMD ["node", "--enable-source-maps", "dist/main.js"]
