FROM golang
RUN apt-get update
RUN apt-get install -y curl git vim sudo
COPY . /app
WORKDIR /app
RUN npm install
EXPOSE 3000
CMD npm start
