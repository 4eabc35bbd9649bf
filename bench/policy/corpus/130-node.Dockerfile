FROM node:20-alpine@sha256:32857bd4e8f797f07b3e6217e427af97e692cf0e1cce2fa1990e04d05d753b67 AS base
RUN apk add --no-cache tini curl
WORKDIR /app

FROM base AS deps
COPY package.json yarn.lock ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts

FROM deps AS build
COPY tsconfig.json ./
COPY src/ ./src/
RUN npm run build
RUN npm prune --omit=dev

FROM base AS production
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
LABEL org.opencontainers.image.source="https://github.com/acme/web" \
      org.opencontainers.image.title="Web"
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD wget --no-verbose --tries=1 --spider http://localhost:3000/health || exit 1
CMD node dist/server.js
