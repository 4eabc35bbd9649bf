FROM ubuntu
RUN apt-get update
RUN apt-get install -y curl git vim sudo
COPY . /app
WORKDIR /app
RUN npm install
EXPOSE 8080 22
CMD ["sh", "-c", "./start.sh"]
