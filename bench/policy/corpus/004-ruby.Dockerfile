# ============================================================
# Worker
# ============================================================
FROM ruby
RUN apt-get update -qq && apt-get install -y build-essential libpq-dev nodejs
WORKDIR /rails
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
RUN bundle exec rails assets:precompile
ENV API_TOKEN=2f22ce424ab87adb834a6a3ced0a2b440229e013700c1837c47ea2cc7159b971
USER 10001:10001
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
