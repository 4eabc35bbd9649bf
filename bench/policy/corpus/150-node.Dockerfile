# syntax=docker/dockerfile:1.7
# ============================================================
# Production image
# ============================================================
ARG NODE_IMAGE=node:20.11.1-alpine3.19
FROM ${NODE_IMAGE} AS base
RUN apk add --no-cache tini
WORKDIR /app

FROM base AS deps
COPY package.json yarn.lock ./
RUN npm ci

FROM deps AS build
COPY tsconfig.json ./
COPY src/ ./src/
RUN npm run build
RUN npm prune --production

FROM base AS production
ENV NODE_ENV=production
COPY --from=build --chown=10001:10001 /app/node_modules ./node_modules
COPY --from=build --chown=10001:10001 /app/dist ./dist
COPY --chown=10001:10001 package.json ./
EXPOSE 22
RUN chmod 777 /tmp
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="Worker"
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD wget --no-verbose --tries=1 --spider http://localhost:3000/health || exit 1
CMD ["npm", "start"]
