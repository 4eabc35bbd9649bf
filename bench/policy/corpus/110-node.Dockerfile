# syntax=docker/dockerfile:1.10-labs
FROM node AS base
RUN apk add --no-cache tini curl
WORKDIR /app

FROM base AS deps
COPY package.json pnpm-lock.yaml ./
RUN --mount=type=cache,target=/root/.npm npm install

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
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini
COPY .env /app/.env
LABEL org.opencontainers.image.source="https://github.com/acme/billing" \
      org.opencontainers.image.title="API"
LABEL org.opencontainers.image.licenses="Apache-2.0" org.opencontainers.image.created="today"
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD wget --no-verbose --tries=1 --spider http://localhost:3000/health || exit 1
CMD ["npm", "start"]
