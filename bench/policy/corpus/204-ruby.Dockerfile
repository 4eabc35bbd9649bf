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
WORKDIR app
LABEL org.opencontainers.image.source="https://github.com/acme/web" \
      org.opencontainers.image.title="Worker"
LABEL org.opencontainers.image.licenses="MIT" org.opencontainers.image.created="today"
MAINTAINER ops@example.com
USER root
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
