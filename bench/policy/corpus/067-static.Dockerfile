FROM node:20-alpine@sha256:32857bd4e8f797f07b3e6217e427af97e692cf0e1cce2fa1990e04d05d753b67 AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM nginxinc/nginx-unprivileged:1.27-alpine
COPY --from=build /app/dist /usr/share/nginx/html
COPY nginx.conf /etc/nginx/conf.d/default.conf
LABEL org.opencontainers.image.source="https://github.com/acme/billing" \
      org.opencontainers.image.title="Web"
USER 101
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD wget -q --spider http://127.0.0.1:8080/ || exit 1
