# syntax=docker/dockerfile:1
# ============================================================
# API server
# ============================================================
FROM ruby:latest
RUN apt-get update -qq && apt-get install -y build-essential libpq-dev nodejs
WORKDIR /rails
ENV BUNDLE_WITHOUT="development:test" RAILS_ENV=production
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
RUN bundle exec rails assets:precompile
COPY .env /app/.env
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="Web"
USER root
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
