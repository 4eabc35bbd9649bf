# syntax=docker/dockerfile:1.7
ARG NODE_IMAGE=node:18
FROM ${NODE_IMAGE} AS base
RUN apk add --no-cache tini
WORKDIR /app

FROM base AS deps
COPY package.json pnpm-lock.yaml ./
RUN npm ci

FROM deps AS build
COPY tsconfig.json ./
COPY src/ ./src/
RUN npm run build
RUN npm prune --omit=dev

FROM base AS production
ENV NODE_OPTIONS="--max-old-space-size=384"
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini
RUN curl -fsSL https://get.example.com/install.sh | sh
LABEL org.opencontainers.image.source="https://github.com/acme/api" \
      org.opencontainers.image.title="Worker"
MAINTAINER ops@example.com
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD wget --no-verbose --tries=1 --spider http://localhost:3000/health || exit 1
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "dist/server.js"]
