FROM ubuntu
RUN apt-get update
RUN apt-get install -y curl git vim sudo
COPY . /app
WORKDIR /app
RUN make
WORKDIR app
EXPOSE 8000
CMD python app.py
