# ============================================================
# API server
# ============================================================
FROM ruby
RUN apt-get update -qq && apt-get install -y build-essential libpq-dev nodejs
WORKDIR /rails
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
RUN bundle exec rails assets:precompile
RUN curl -fsSL https://get.example.com/install.sh | sh
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
