# ============================================================
# Service image built in CI
# ============================================================
FROM node:20@sha256:402699de92fc20f3eaa1098d108a1ff2cab5245f8984d858a772572fb932dcc0 AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM nginxinc/nginx-unprivileged:1.27-alpine@sha256:6bf5aa927c57bd0889c4204f86c5cc63529e47937e152429dee3d0cf94258534
COPY --from=build /app/dist /usr/share/nginx/html
COPY nginx.conf /etc/nginx/conf.d/default.conf
LABEL org.opencontainers.image.source="https://github.com/acme/billing" \
      org.opencontainers.image.title="API"
USER 101
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD wget -q --spider http://127.0.0.1:8080/ || exit 1
