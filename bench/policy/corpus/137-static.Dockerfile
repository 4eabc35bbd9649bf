# syntax=docker/dockerfile:1
# ============================================================
# Worker
# ============================================================
FROM node:20-alpine@sha256:32857bd4e8f797f07b3e6217e427af97e692cf0e1cce2fa1990e04d05d753b67 AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM nginxinc/nginx-unprivileged:1.25@sha256:3283ce71bdfac8735a492b9059fc7d79d10b10f6a50dddfea4554f955cf96f36
COPY --from=build /app/dist /usr/share/nginx/html
COPY nginx.conf /etc/nginx/conf.d/default.conf
LABEL org.opencontainers.image.source="https://github.com/acme/api" \
      org.opencontainers.image.title="API"
USER 101
EXPOSE 8080
