FROM ubuntu
RUN apt-get update
RUN apt-get install -y curl git vim sudo
COPY . /app
WORKDIR /app
RUN npm install
RUN chmod 777 /tmp
RUN chmod 777 /tmp
EXPOSE 3000
CMD ./app
