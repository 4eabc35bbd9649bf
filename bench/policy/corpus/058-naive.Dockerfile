FROM golang
RUN apt-get update
RUN apt-get install -y curl git vim sudo
COPY . /app
WORKDIR /app
RUN make
COPY .env /app/.env
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini
EXPOSE 8000
CMD ["sh", "-c", "./start.sh"]
