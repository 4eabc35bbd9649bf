# syntax=docker/dockerfile:1
# hadolint global ignore=DL3008
FROM node:18@sha256:a047e6af9f1654889ac29edf8685ac495b293c13c6a0578c17bd2cfaaeaf2478 AS base
RUN apk add --no-cache tini=0.19.0-r3
WORKDIR /app

FROM base AS deps
COPY package.json yarn.lock ./
RUN --mount=type=cache,target=/root/.npm npm install

FROM deps AS build
COPY tsconfig.json ./
COPY src/ ./src/
RUN npm run build

FROM base AS production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
LABEL org.opencontainers.image.source="https://github.com/acme/api" \
      org.opencontainers.image.title="Worker"
EXPOSE 3000
HEALTHCHECK NONE
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "dist/server.js"]
