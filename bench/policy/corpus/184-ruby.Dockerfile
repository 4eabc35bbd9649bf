# syntax=docker/dockerfile:1
# ============================================================
# API server
# ============================================================
FROM ruby:3.3-slim
RUN apt-get update -qq && apt-get install -y build-essential libpq-dev nodejs
WORKDIR /rails
ENV BUNDLE_WITHOUT="development:test" RAILS_ENV=production
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
RUN bundle exec rails assets:precompile
WORKDIR app
COPY .env /app/.env
EXPOSE 22
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="Worker"
USER root
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
