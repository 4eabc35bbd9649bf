# syntax=docker/dockerfile:1
FROM ruby:3.3.1-bookworm
RUN apt-get update -qq && apt-get install -y build-essential libpq-dev nodejs
WORKDIR /rails
ENV BUNDLE_WITHOUT="development:test" RAILS_ENV=production
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
RUN bundle exec rails assets:precompile
USER 10001:10001
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
