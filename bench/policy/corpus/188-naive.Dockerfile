FROM ubuntu
RUN apt-get update
RUN apt-get install -y curl git vim sudo
COPY . /app
WORKDIR /app
RUN go build -o app .
RUN cd /tmp && wget -qO- https://example.com/list.txt | sort > /tmp/list
RUN cd /tmp && wget -qO- https://example.com/list.txt | sort > /tmp/list
RUN cd /tmp && wget -qO- https://example.com/list.txt | sort > /tmp/list
EXPOSE 3000
CMD python app.py
