FROM node:22-bookworm-slim@sha256:cc3c39c56ad073d6854c9ced9ff6bebf34ab132ea2e06652447ae68ee225ec94 AS base
RUN apk add --no-cache tini curl
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
EXPOSE 3000
HEALTHCHECK NONE
CMD node dist/server.js
