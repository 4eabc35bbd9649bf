FROM python:3
RUN apt-get update
RUN apt-get install -y curl git vim sudo
COPY . /app
WORKDIR /app
RUN make
ARG NPM_TOKEN
EXPOSE 3000
CMD npm start
