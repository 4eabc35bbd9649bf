# syntax=docker/dockerfile:1.7
# ============================================================
# Worker
# ============================================================
FROM composer:2.7@sha256:241e2c1a8350b7fb69a7bda023785481887d80217f7f47181b40bb5561cf66e6 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --prefer-dist --no-scripts

FROM php
RUN apk add --no-cache fcgi
WORKDIR /var/www/html
COPY --from=vendor /app/vendor ./vendor
COPY . .
LABEL org.opencontainers.image.source="https://github.com/acme/web" \
      org.opencontainers.image.title="API"
CMD ["php-fpm"]
