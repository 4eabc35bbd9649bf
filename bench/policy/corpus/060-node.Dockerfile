# ============================================================
# Production image
# ============================================================
ARG NODE_IMAGE=node
FROM ${NODE_IMAGE} AS base
RUN apk add --no-cache tini curl
WORKDIR /app

FROM base AS deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm yarn install --frozen-lockfile

FROM deps AS build
COPY tsconfig.json ./
COPY src/ ./src/
RUN npm run build
RUN npm prune --omit=dev

FROM base AS production
ENV NODE_ENV=production
ENV NODE_OPTIONS="--max-old-space-size=384"
COPY --from=build --chown=10001:10001 /app/node_modules ./node_modules
COPY --from=build --chown=10001:10001 /app/dist ./dist
COPY --chown=10001:10001 package.json ./
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="API"
LABEL org.opencontainers.image.licenses="Apache-2.0" org.opencontainers.image.created="2024-05-01T12:00:00Z"
USER app
EXPOSE 3000
CMD node dist/server.js
