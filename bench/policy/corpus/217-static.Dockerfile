# syntax=docker/dockerfile:1.10-labs
FROM node:20@sha256:402699de92fc20f3eaa1098d108a1ff2cab5245f8984d858a772572fb932dcc0 AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM nginxinc/nginx-unprivileged:1.25
COPY --from=build /app/dist /usr/share/nginx/html
COPY nginx.conf /etc/nginx/conf.d/default.conf
LABEL org.opencontainers.image.source="https://github.com/acme/billing" \
      org.opencontainers.image.title="Worker"
USER 101
EXPOSE 8080
