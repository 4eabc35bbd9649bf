# ============================================================
# API server
# ============================================================
FROM ruby:latest
RUN apt-get update -qq && apt-get install -y build-essential libpq-dev nodejs
WORKDIR /rails
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
RUN bundle exec rails assets:precompile
COPY .env /app/.env
LABEL org.opencontainers.image.source="https://github.com/acme/api" \
      org.opencontainers.image.title="Worker"
USER 10001:10001
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
