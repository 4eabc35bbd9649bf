# syntax=docker/dockerfile:1.10-labs
# ============================================================
# Production image
# ============================================================
FROM node:20.11.1-alpine3.19 AS base
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
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
WORKDIR app
WORKDIR app
LABEL org.opencontainers.image.source="https://github.com/acme/web" \
      org.opencontainers.image.title="Web"
MAINTAINER ops@example.com
USER app
EXPOSE 3000
HEALTHCHECK NONE
CMD ["npm", "start"]
