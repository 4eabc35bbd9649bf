FROM ubuntu
RUN apt-get update
RUN apt-get install -y curl git vim sudo
COPY . /app
WORKDIR /app
RUN pip install -r requirements.txt
WORKDIR app
EXPOSE 8080 22
CMD python app.py
