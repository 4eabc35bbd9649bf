# ============================================================
# Service image built in CI
# ============================================================
FROM node:22-bookworm-slim AS base
RUN apk add --no-cache tini=0.19.0-r3
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
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
ENV API_TOKEN=41851f09805a03e203bb5e359a167bb88cdf6c1034180e011b48f588c9542cd8
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="Web"
USER app
EXPOSE 3000
HEALTHCHECK NONE
CMD node dist/server.js
