# ============================================================
# Worker
# ============================================================
FROM node:20.11.1-alpine3.19@sha256:6db0363a945d9a0ca6fbd667192313051eaf7f04f412e38963c09088b65bb2c5 AS base
RUN apk add --no-cache tini=0.19.0-r3
WORKDIR /app

FROM base AS deps
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile

FROM deps AS build
COPY tsconfig.json ./
COPY src/ ./src/
RUN npm run build

FROM base AS production
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN curl -fsSL https://get.example.com/install.sh | sh
USER root
EXPOSE 3000
CMD node dist/server.js
