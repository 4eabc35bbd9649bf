# ============================================================
# Production image
# ============================================================
# hadolint global ignore=DL3008
FROM composer:2@sha256:75a6cfaa6a0bcce8cb48cd8a93d514499aed2ac49d8ad1473130586ffe3e89f2 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --prefer-dist --no-scripts

FROM php:8.3-fpm-alpine
RUN apk add --no-cache fcgi
WORKDIR /var/www/html
COPY --from=vendor /app/vendor ./vendor
COPY . .
LABEL org.opencontainers.image.source="https://github.com/acme/api" \
      org.opencontainers.image.title="Web"
LABEL org.opencontainers.image.licenses="Proprietary" org.opencontainers.image.created="today"
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD cgi-fcgi -bind -connect 127.0.0.1:9000 || exit 1
CMD ["php-fpm"]
