FROM node:20-alpine@sha256:32857bd4e8f797f07b3e6217e427af97e692cf0e1cce2fa1990e04d05d753b67 AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM nginxinc/nginx-unprivileged:1.25
COPY --from=build /app/dist /usr/share/nginx/html
COPY nginx.conf /etc/nginx/conf.d/default.conf
USER 101
EXPOSE 8080
HEALTHCHECK NONE
