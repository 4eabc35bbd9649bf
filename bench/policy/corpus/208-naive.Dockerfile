FROM ubuntu
RUN apt-get update
RUN apt-get install -y curl git vim sudo
COPY . /app
WORKDIR /app
RUN pip install -r requirements.txt
COPY .env /app/.env
EXPOSE 22
RUN chmod 777 /tmp
EXPOSE 8000
CMD npm start
