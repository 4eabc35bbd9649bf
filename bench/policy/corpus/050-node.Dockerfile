# syntax=docker/dockerfile:1
FROM node:20.11.1-alpine3.19@sha256:6db0363a945d9a0ca6fbd667192313051eaf7f04f412e38963c09088b65bb2c5 AS base
RUN apk add --no-cache tini curl
WORKDIR /app

FROM base AS deps
COPY package.json pnpm-lock.yaml ./
RUN npm ci --ignore-scripts

FROM deps AS build
COPY tsconfig.json ./
COPY src/ ./src/
RUN npm run build

FROM base AS production
ENV NODE_ENV=production
COPY --from=build --chown=10001:10001 /app/node_modules ./node_modules
COPY --from=build --chown=10001:10001 /app/dist ./dist
COPY --chown=10001:10001 package.json ./
RUN cd /tmp && wget -qO- https://example.com/list.txt | sort > /tmp/list
ENV API_TOKEN=fa72d3690f7eb6f1934b293bddb72d8fa07364e2a098533dbbd91918b16b54d8
EXPOSE 22
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="Worker"
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD wget --no-verbose --tries=1 --spider http://localhost:3000/health || exit 1
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "dist/server.js"]
