# syntax=docker/dockerfile:1.7
# ============================================================
# Service image built in CI
# ============================================================
FROM ruby:latest
RUN apt-get update -qq && apt-get install -y build-essential libpq-dev nodejs
WORKDIR /rails
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
RUN bundle exec rails assets:precompile
RUN chmod 777 /tmp
COPY .env /app/.env
ARG NPM_TOKEN
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="API"
LABEL org.opencontainers.image.licenses="Proprietary" org.opencontainers.image.created="2024-05-01T12:00:00Z"
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
