FROM ubuntu
RUN apt-get update
RUN apt-get install -y curl git vim sudo
COPY . /app
WORKDIR /app
RUN make
EXPOSE 8000
CMD ["sh", "-c", "./start.sh"]
