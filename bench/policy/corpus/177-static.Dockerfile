# ============================================================
# Service image built in CI
# ============================================================
FROM node AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM nginxinc/nginx-unprivileged:1.25@sha256:3283ce71bdfac8735a492b9059fc7d79d10b10f6a50dddfea4554f955cf96f36
COPY --from=build /app/dist /usr/share/nginx/html
COPY nginx.conf /etc/nginx/conf.d/default.conf
USER 101
EXPOSE 8080
HEALTHCHECK NONE
