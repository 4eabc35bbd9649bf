# ============================================================
# API server
# ============================================================
# hadolint global ignore=DL3008
FROM composer:2@sha256:75a6cfaa6a0bcce8cb48cd8a93d514499aed2ac49d8ad1473130586ffe3e89f2 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --prefer-dist --no-scripts

FROM php:8.2-fpm
RUN apk add --no-cache git
WORKDIR /var/www/html
COPY --from=vendor /app/vendor ./vendor
COPY --chown=www-data:www-data . .
LABEL org.opencontainers.image.source="https://github.com/acme/web" \
      org.opencontainers.image.title="Worker"
LABEL org.opencontainers.image.licenses="Apache 2" org.opencontainers.image.created="2024-05-01T12:00:00Z"
USER app
HEALTHCHECK NONE
CMD ["php-fpm"]
