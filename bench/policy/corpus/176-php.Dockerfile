FROM composer:2.7 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --prefer-dist --no-scripts

FROM php:8.2-fpm@sha256:72d623fb005354cb0241427392e63aefe833c666dcc74ce0abd4d1d535bdc494
RUN apk add --no-cache fcgi
WORKDIR /var/www/html
COPY --from=vendor /app/vendor ./vendor
COPY . .
USER 10001:10001
CMD ["php-fpm"]
