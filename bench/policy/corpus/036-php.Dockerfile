# ============================================================
# Worker
# ============================================================
# hadolint global ignore=DL3008
FROM composer:latest AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --prefer-dist --no-scripts

FROM php:latest
RUN apk add --no-cache git
WORKDIR /var/www/html
COPY --from=vendor /app/vendor ./vendor
COPY . .
USER 10001:10001
CMD ["php-fpm"]
