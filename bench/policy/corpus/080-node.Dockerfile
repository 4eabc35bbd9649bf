FROM node:20-alpine@sha256:32857bd4e8f797f07b3e6217e427af97e692cf0e1cce2fa1990e04d05d753b67 AS base
RUN apk add --no-cache tini curl
WORKDIR /app

FROM base AS deps
COPY package.json package-lock.json ./
RUN yarn install --frozen-lockfile

FROM deps AS build
COPY tsconfig.json ./
COPY src/ ./src/
RUN npm run build
RUN npm prune --production

FROM base AS production
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
ENV API_TOKEN=910fbc2f4ba45d943b95227a4250d988264fa78d214fd37de39dafa6de9fd5f2
WORKDIR app
ARG NPM_TOKEN
LABEL org.opencontainers.image.source="https://github.com/acme/billing" \
      org.opencontainers.image.title="API"
LABEL org.opencontainers.image.licenses="Proprietary" org.opencontainers.image.created="today"
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD wget --no-verbose --tries=1 --spider http://localhost:3000/health || exit 1
CMD node dist/server.js
