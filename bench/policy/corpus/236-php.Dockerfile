FROM composer:2 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --prefer-dist --no-scripts

FROM php:8.2-fpm@sha256:72d623fb005354cb0241427392e63aefe833c666dcc74ce0abd4d1d535bdc494
RUN apk add --no-cache git
WORKDIR /var/www/html
COPY --from=vendor /app/vendor ./vendor
COPY --chown=www-data:www-data . .
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="Web"
LABEL org.opencontainers.image.licenses="Proprietary" org.opencontainers.image.created="2024-05-01T12:00:00Z"
HEALTHCHECK NONE
CMD ["php-fpm"]
