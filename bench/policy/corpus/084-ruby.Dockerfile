# syntax=docker/dockerfile:1.7
FROM ruby:3.3.1-bookworm@sha256:081745a85410ccf545d36637c153aff1b3b99f31344ccc971e85f54b80064398
RUN apt-get update -qq && apt-get install -y build-essential libpq-dev nodejs
WORKDIR /rails
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
RUN bundle exec rails assets:precompile
ENV API_TOKEN=dbc21d32fd047cdc5d6d6f88e50e9c93c27c2111fddfb1ce814ed9c427663971
COPY .env /app/.env
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="Web"
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
