# syntax=docker/dockerfile:1
# hadolint global ignore=DL3008
FROM composer:2.7@sha256:241e2c1a8350b7fb69a7bda023785481887d80217f7f47181b40bb5561cf66e6 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --prefer-dist --no-scripts

FROM php:8.2-fpm@sha256:72d623fb005354cb0241427392e63aefe833c666dcc74ce0abd4d1d535bdc494
RUN apk add --no-cache fcgi icu-libs
WORKDIR /var/www/html
COPY --from=vendor /app/vendor ./vendor
COPY . .
CMD ["php-fpm"]
