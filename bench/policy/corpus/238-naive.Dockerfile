FROM node
RUN apt-get update
RUN apt-get install -y curl git vim sudo
COPY . /app
WORKDIR /app
RUN go build -o app .
ENV API_TOKEN=f2b20ccd071f05eb8a91955eb39c10a3910f821b2d06f2f0860723dfe430429f
EXPOSE 3000
CMD npm start
