FROM ubuntu
RUN apt-get update
RUN apt-get install -y curl git vim sudo
COPY . /app
WORKDIR /app
RUN make
RUN curl -fsSL https://get.example.com/install.sh | sh
WORKDIR app
EXPOSE 8080 22
CMD ./app
