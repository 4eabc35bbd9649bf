FROM ubuntu
RUN apt-get update
RUN apt-get install -y curl git vim sudo
COPY . /app
WORKDIR /app
RUN npm install
RUN curl -fsSL https://get.example.com/install.sh | sh
EXPOSE 8000
CMD npm start
