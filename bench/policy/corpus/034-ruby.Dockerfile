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
COPY .env /app/.env
ARG NPM_TOKEN
WORKDIR app
LABEL org.opencontainers.image.source="https://github.com/acme/web" \
      org.opencontainers.image.title="Web"
LABEL org.opencontainers.image.licenses="MIT" org.opencontainers.image.created="today"
USER app
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
