# ============================================================
# Worker
# ============================================================
# hadolint global ignore=DL3008
FROM composer:2.7@sha256:241e2c1a8350b7fb69a7bda023785481887d80217f7f47181b40bb5561cf66e6 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --prefer-dist --no-scripts

FROM php:8.3-fpm-alpine@sha256:a43dba4f8eab5fcc2c23ffdd54fd01293c24a87ad9a1a36792b4c93e1d384571
RUN apk add --no-cache git
WORKDIR /var/www/html
COPY --from=vendor /app/vendor ./vendor
COPY --chown=www-data:www-data . .
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="Web"
USER 10001:10001
CMD ["php-fpm"]
