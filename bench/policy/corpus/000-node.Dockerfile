# syntax=docker/dockerfile:1.7
FROM node:20.11.1-alpine3.19 AS base
RUN apk add --no-cache tini
WORKDIR /app

FROM base AS deps
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile

FROM deps AS build
COPY tsconfig.json ./
COPY src/ ./src/
RUN npm run build
RUN npm prune --production

FROM base AS production
ENV NODE_ENV=production
ENV NODE_OPTIONS="--max-old-space-size=384"
COPY --from=build --chown=10001:10001 /app/node_modules ./node_modules
COPY --from=build --chown=10001:10001 /app/dist ./dist
COPY --chown=10001:10001 package.json ./
LABEL org.opencontainers.image.source="https://github.com/acme/api" \
      org.opencontainers.image.title="API"
LABEL org.opencontainers.image.licenses="Apache 2" org.opencontainers.image.created="today"
MAINTAINER ops@example.com
USER root
EXPOSE 3000
HEALTHCHECK NONE
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "dist/server.js"]
