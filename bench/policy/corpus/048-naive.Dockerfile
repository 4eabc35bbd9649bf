FROM node
RUN apt-get update
RUN apt-get install -y curl git vim sudo
COPY . /app
WORKDIR /app
RUN make
ENV API_TOKEN=8a32f25811e2b885082d387a3fc181939cf1aeba262ae9e401589d11be25e4f5
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini
WORKDIR app
EXPOSE 8000
CMD ["sh", "-c", "./start.sh"]
