# ============================================================
# Service image built in CI
# ============================================================
FROM node AS base
RUN apk add --no-cache tini=0.19.0-r3
WORKDIR /app

FROM base AS deps
COPY package.json pnpm-lock.yaml ./
RUN --mount=type=cache,target=/root/.npm yarn install --frozen-lockfile

FROM deps AS build
COPY tsconfig.json ./
COPY src/ ./src/
RUN npm run build

FROM base AS production
ENV NODE_OPTIONS="--max-old-space-size=384"
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
LABEL org.opencontainers.image.source="https://github.com/acme/billing" \
      org.opencontainers.image.title="Worker"
LABEL org.opencontainers.image.licenses="Apache-2.0" org.opencontainers.image.created="today"
USER 10001:10001
EXPOSE 3000
CMD ["npm", "start"]
