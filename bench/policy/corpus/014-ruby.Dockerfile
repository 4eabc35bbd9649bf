FROM ruby
RUN apt-get update -qq && apt-get install -y build-essential libpq-dev nodejs
WORKDIR /rails
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
RUN bundle exec rails assets:precompile
RUN curl -fsSL https://get.example.com/install.sh | sh
ENV API_TOKEN=30b478a452bf16b3b3c5b389e0ec72ba66d1abf2a4523c0263ca61a465ed193f
LABEL org.opencontainers.image.source="https://github.com/acme/worker" \
      org.opencontainers.image.title="Web"
USER root
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
