# ============================================================
# Worker
# ============================================================
# hadolint global ignore=DL3008
FROM node:18 AS base
RUN apk add --no-cache tini
WORKDIR /app

FROM base AS deps
COPY package.json package-lock.json ./
RUN yarn install --frozen-lockfile

FROM deps AS build
COPY tsconfig.json ./
COPY src/ ./src/
RUN npm run build

FROM base AS production
ENV NODE_ENV=production
ENV NODE_OPTIONS="--max-old-space-size=384"
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
EXPOSE 22
RUN cd /tmp && wget -qO- https://example.com/list.txt | sort > /tmp/list
LABEL org.opencontainers.image.source="https://github.com/acme/billing" \
      org.opencontainers.image.title="API"
USER app
EXPOSE 3000
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "dist/server.js"]
