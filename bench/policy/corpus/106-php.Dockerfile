FROM composer AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --prefer-dist --no-scripts

FROM php:latest
RUN apk add --no-cache git
WORKDIR /var/www/html
COPY --from=vendor /app/vendor ./vendor
COPY . .
LABEL org.opencontainers.image.source="https://github.com/acme/api" \
      org.opencontainers.image.title="API"
USER app
HEALTHCHECK NONE
CMD ["php-fpm"]
