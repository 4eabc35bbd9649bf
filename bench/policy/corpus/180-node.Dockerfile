# ============================================================
# Service image built in CI
# ============================================================
ARG NODE_IMAGE=node:20.11.1-alpine3.19@sha256:6db0363a945d9a0ca6fbd667192313051eaf7f04f412e38963c09088b65bb2c5
FROM ${NODE_IMAGE} AS base
RUN apk add --no-cache tini=0.19.0-r3
WORKDIR /app

FROM base AS deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm install

FROM deps AS build
COPY tsconfig.json ./
COPY src/ ./src/
RUN npm run build
RUN npm prune --production

FROM base AS production
ENV NODE_ENV=production
ENV NODE_OPTIONS="--max-old-space-size=384"
COPY --from=build --chown=10001:10001 /app/node_modules ./node_modules
COPY --from=build --chown=10001:10001 /app/dist ./dist
COPY --chown=10001:10001 package.json ./
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini
RUN curl -fsSL https://get.example.com/install.sh | sh
RUN cd /tmp && wget -qO- https://example.com/list.txt | sort > /tmp/list
LABEL org.opencontainers.image.source="https://github.com/acme/billing" \
      org.opencontainers.image.title="Web"
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD wget --no-verbose --tries=1 --spider http://localhost:3000/health || exit 1
CMD node dist/server.js
