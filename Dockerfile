# syntax=docker/dockerfile:1
# One image for every Gerbang process, compiled: docker-compose.yml picks the entry point per
# service (`node dist/<component>.js`, see `npm run build`). There is no Docker engine on the
# development machines: `npm run check:image` runs these steps by hand (build, then this runtime
# stage's files on a root-owned tree, as a non-root user, with docker-compose.yml's environment).

# Build: every dependency (TypeScript sources, esbuild), then the bundles in dist/.
FROM node:20.20-bookworm-slim AS build
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund && npm run build

# Runtime: node and the bundles. The bundles carry every library they load, so there is no
# node_modules, and npm, corepack and yarn go too: nothing here installs anything.
# DATA_DIR is the only place a process writes (dev IdP key, drop folder, demo-seed marker). It is
# created here, owned by the user the processes run as, so that a named volume mounted on it (or
# below it: dtks-drop, documents) starts with that owner instead of root.
FROM node:20.20-bookworm-slim
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /opt/yarn-* /usr/local/bin/yarn /usr/local/bin/yarnpkg \
 && mkdir -p /data/dtks-drop /data/documents \
 && chown -R node:node /data
WORKDIR /app
# Root-owned and read-only to the processes.
COPY --from=build /src/dist ./dist
# The supergraph and each hub subgraph's SDL: the gateway publishes them into the schema registry at start.
COPY --from=build /src/schema ./schema
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    DATA_DIR=/data
USER node
EXPOSE 4000
CMD ["node", "dist/gateway.js"]
