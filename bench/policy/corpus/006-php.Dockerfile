# syntax=docker/dockerfile:1.10-labs
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
USER root
HEALTHCHECK NONE
CMD ["php-fpm"]
