# ============================================================
# Production image
# ============================================================
FROM ruby
RUN apt-get update -qq && apt-get install -y build-essential libpq-dev nodejs
WORKDIR /rails
ENV BUNDLE_WITHOUT="development:test" RAILS_ENV=production
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
RUN bundle exec rails assets:precompile
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini
ENV API_TOKEN=ef04c259909725465086479cf4b2c8a369a910def0dbfeccbde84b69c5c5a2d4
RUN curl -fsSL https://get.example.com/install.sh | sh
USER root
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
