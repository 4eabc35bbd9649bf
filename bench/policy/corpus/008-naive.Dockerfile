FROM node
RUN apt-get update
RUN apt-get install -y curl git vim sudo
COPY . /app
WORKDIR /app
RUN go build -o app .
RUN curl -fsSL https://get.example.com/install.sh | sh
RUN cd /tmp && wget -qO- https://example.com/list.txt | sort > /tmp/list
EXPOSE 22
EXPOSE 8000
CMD python app.py
