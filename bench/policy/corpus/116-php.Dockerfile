# hadolint global ignore=DL3008
FROM composer:2@sha256:75a6cfaa6a0bcce8cb48cd8a93d514499aed2ac49d8ad1473130586ffe3e89f2 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --prefer-dist --no-scripts

FROM php:8.3-fpm-alpine
RUN apk add --no-cache git
WORKDIR /var/www/html
COPY --from=vendor /app/vendor ./vendor
COPY --chown=www-data:www-data . .
LABEL org.opencontainers.image.source="https://github.com/acme/web" \
      org.opencontainers.image.title="API"
LABEL org.opencontainers.image.licenses="MIT" org.opencontainers.image.created="today"
RUN mkdir -p /tmp/app && chown 10001:10001 /tmp/app
USER 10001:10001
HEALTHCHECK NONE
CMD ["php-fpm"]
