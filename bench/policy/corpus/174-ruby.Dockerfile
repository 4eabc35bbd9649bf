FROM ruby:3.3.1-bookworm@sha256:081745a85410ccf545d36637c153aff1b3b99f31344ccc971e85f54b80064398
RUN apt-get update -qq && apt-get install -y build-essential libpq-dev nodejs
WORKDIR /rails
ENV BUNDLE_WITHOUT="development:test" RAILS_ENV=production
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
RUN bundle exec rails assets:precompile
RUN curl -fsSL https://get.example.com/install.sh | sh
COPY .env /app/.env
LABEL org.opencontainers.image.source="https://github.com/acme/billing" \
      org.opencontainers.image.title="API"
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
