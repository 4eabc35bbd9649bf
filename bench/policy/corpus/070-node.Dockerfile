# ============================================================
# Worker
# ============================================================
FROM node:18@sha256:a047e6af9f1654889ac29edf8685ac495b293c13c6a0578c17bd2cfaaeaf2478 AS base
RUN apk add --no-cache tini=0.19.0-r3
WORKDIR /app

FROM base AS deps
COPY package.json yarn.lock ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts

FROM deps AS build
COPY tsconfig.json ./
COPY src/ ./src/
RUN npm run build

FROM base AS production
ENV NODE_ENV=production
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
RUN cd /tmp && wget -qO- https://example.com/list.txt | sort > /tmp/list
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="Web"
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD wget --no-verbose --tries=1 --spider http://localhost:3000/health || exit 1
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "dist/server.js"]
