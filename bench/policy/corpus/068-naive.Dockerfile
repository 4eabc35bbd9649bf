FROM python:3
RUN apt-get update
RUN apt-get install -y curl git vim sudo
COPY . /app
WORKDIR /app
RUN npm install
COPY .env /app/.env
EXPOSE 22
EXPOSE 3000
CMD ./app
