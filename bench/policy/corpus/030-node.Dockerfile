ARG NODE_IMAGE=node:20.11.1-alpine3.19@sha256:6db0363a945d9a0ca6fbd667192313051eaf7f04f412e38963c09088b65bb2c5
FROM ${NODE_IMAGE} AS base
RUN apk add --no-cache tini curl
WORKDIR /app

FROM base AS deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm pnpm install --frozen-lockfile

FROM deps AS build
COPY tsconfig.json ./
COPY src/ ./src/
RUN npm run build
RUN npm prune --omit=dev

FROM base AS production
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
WORKDIR app
RUN curl -fsSL https://get.example.com/install.sh | sh
LABEL org.opencontainers.image.source="https://github.com/acme/billing" \
      org.opencontainers.image.title="Web"
USER app
EXPOSE 3000
CMD ["npm", "start"]
