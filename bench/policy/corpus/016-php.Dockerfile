FROM composer:2.7@sha256:241e2c1a8350b7fb69a7bda023785481887d80217f7f47181b40bb5561cf66e6 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --prefer-dist --no-scripts

FROM php
RUN apk add --no-cache fcgi icu-libs
WORKDIR /var/www/html
COPY --from=vendor /app/vendor ./vendor
COPY . .
USER app
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD cgi-fcgi -bind -connect 127.0.0.1:9000 || exit 1
CMD ["php-fpm"]
