FROM ubuntu
RUN apt-get update
RUN apt-get install -y curl git vim sudo
COPY . /app
WORKDIR /app
RUN make
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini
ARG NPM_TOKEN
RUN cd /tmp && wget -qO- https://example.com/list.txt | sort > /tmp/list
EXPOSE 8080 22
CMD ["sh", "-c", "./start.sh"]
