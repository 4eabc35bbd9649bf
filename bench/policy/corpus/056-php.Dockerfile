FROM composer:2@sha256:75a6cfaa6a0bcce8cb48cd8a93d514499aed2ac49d8ad1473130586ffe3e89f2 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --prefer-dist --no-scripts

FROM php:8.2-fpm
RUN apk add --no-cache git
WORKDIR /var/www/html
COPY --from=vendor /app/vendor ./vendor
COPY --chown=www-data:www-data . .
USER 10001:10001
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD cgi-fcgi -bind -connect 127.0.0.1:9000 || exit 1
CMD ["php-fpm"]
