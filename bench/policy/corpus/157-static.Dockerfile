# ============================================================
# Service image built in CI
# ============================================================
FROM node AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM nginxinc/nginx-unprivileged
COPY --from=build /app/dist /usr/share/nginx/html
COPY nginx.conf /etc/nginx/conf.d/default.conf
LABEL org.opencontainers.image.source="https://github.com/acme/web" \
      org.opencontainers.image.title="API"
USER 101
EXPOSE 8080
