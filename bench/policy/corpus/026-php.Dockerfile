# ============================================================
# Worker
# ============================================================
FROM composer:2@sha256:75a6cfaa6a0bcce8cb48cd8a93d514499aed2ac49d8ad1473130586ffe3e89f2 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --prefer-dist --no-scripts

FROM php
RUN apk add --no-cache fcgi icu-libs
WORKDIR /var/www/html
COPY --from=vendor /app/vendor ./vendor
COPY --chown=www-data:www-data . .
USER 10001:10001
HEALTHCHECK NONE
CMD ["php-fpm"]
