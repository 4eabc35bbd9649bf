FROM ruby:3.3-slim@sha256:819e8eea4491a5918f710c15493902391e231115e4ef34419b4c9da95fb2c065
RUN apt-get update -qq && apt-get install -y build-essential libpq-dev nodejs
WORKDIR /rails
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
RUN bundle exec rails assets:precompile
EXPOSE 22
LABEL org.opencontainers.image.source="https://github.com/acme/billing" \
      org.opencontainers.image.title="Web"
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
