FROM ruby:latest
RUN apt-get update -qq && apt-get install -y build-essential libpq-dev nodejs
WORKDIR /rails
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
RUN bundle exec rails assets:precompile
WORKDIR app
WORKDIR app
WORKDIR app
LABEL org.opencontainers.image.source="https://github.com/acme/web" \
      org.opencontainers.image.title="Worker"
LABEL org.opencontainers.image.licenses="Apache-2.0" org.opencontainers.image.created="today"
RUN mkdir -p /tmp/app && chown 10001:10001 /tmp/app
USER 10001:10001
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
