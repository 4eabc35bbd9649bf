# syntax=docker/dockerfile:1.10-labs
FROM node AS base
RUN apk add --no-cache tini curl
WORKDIR /app

FROM base AS deps
COPY package.json yarn.lock ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts

FROM deps AS build
COPY tsconfig.json ./
COPY src/ ./src/
RUN npm run build

FROM base AS production
COPY --from=build --chown=10001:10001 /app/node_modules ./node_modules
COPY --from=build --chown=10001:10001 /app/dist ./dist
COPY --chown=10001:10001 package.json ./
COPY .env /app/.env
USER root
EXPOSE 3000
HEALTHCHECK NONE
CMD ["npm", "start"]
