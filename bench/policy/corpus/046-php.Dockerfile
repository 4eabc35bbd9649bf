# ============================================================
# API server
# ============================================================
# hadolint global ignore=DL3008
FROM composer:2@sha256:75a6cfaa6a0bcce8cb48cd8a93d514499aed2ac49d8ad1473130586ffe3e89f2 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --prefer-dist --no-scripts

FROM php:8.3-fpm-alpine@sha256:a43dba4f8eab5fcc2c23ffdd54fd01293c24a87ad9a1a36792b4c93e1d384571
RUN apk add --no-cache fcgi icu-libs
WORKDIR /var/www/html
COPY --from=vendor /app/vendor ./vendor
COPY --chown=www-data:www-data . .
LABEL org.opencontainers.image.source="https://github.com/acme/billing" \
      org.opencontainers.image.title="Worker"
LABEL org.opencontainers.image.licenses="Apache-2.0" org.opencontainers.image.created="2024-05-01T12:00:00Z"
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD cgi-fcgi -bind -connect 127.0.0.1:9000 || exit 1
CMD ["php-fpm"]
