package policy

import "testing"

var readonlyTables = addTables(map[string][]tc{
	"writable-paths": {
		fires(`FROM node:20-alpine`, `USER 10001`),
		fires(`FROM node:20-alpine AS build`, `RUN mkdir /tmp/app && chown 10001 /tmp/app`, `FROM node:20-alpine`, `USER 10001`),
		fires(`FROM node:20-alpine`, `RUN mkdir -p /tmp/app && chown 10002 /tmp/app`, `USER 10001`),
		fires(`FROM python:3.12-slim`, `WORKDIR /app`, `COPY --chown=10001:10001 . .`, `USER 10001`),
		passes(`FROM node:20-alpine`, `RUN mkdir -p /tmp/app && chown 10001:10001 /tmp/app`, `USER 10001`),
		passes(`FROM node:20-alpine`, `VOLUME /data`, `USER 10001`),
		passes(`FROM debian:12-slim`, `RUN useradd -u 10001 app && install -d -o app /var/cache/app`, `USER 10001`),
		passes(`FROM scratch`, `COPY --from=busybox:1.36 --chown=65532:65532 /tmp /tmp`, `USER 65532`),
		passes(`FROM alpine:3.20`, `RUN adduser -u 10001 -S app && mkdir /data && chown app /data`, `USER 10001`),
	},
	"world-writable": {
		fires(`FROM alpine:3.20`, `RUN mkdir /data && chmod 777 /data`),
		fires(`FROM alpine:3.20`, `RUN chmod -R o+w /app`),
		fires(`FROM alpine:3.20`, `COPY --chmod=0666 config.yml /etc/app/`),
		fires(`FROM alpine:3.20`, `RUN chmod a+rwx /srv`),
		passes(`FROM alpine:3.20`, `RUN chmod 750 /data`),
		passes(`FROM alpine:3.20`, `RUN chmod 1777 /scratch`),
		passes(`FROM alpine:3.20 AS build`, `RUN chmod 777 /out`, `FROM alpine:3.20`),
		passes(`FROM alpine:3.20`, `RUN chmod u+w,g-w /data`),
	},
	"python-bytecode": {
		fires(`FROM python:3.12-slim`, `CMD ["python", "-m", "app"]`),
		fires(`FROM debian:12-slim`, `RUN apt-get install -y python3`, `CMD ["python3", "app.py"]`),
		fires(`FROM python:3.12-slim AS build`, `ENV PYTHONDONTWRITEBYTECODE=1`, `FROM python:3.12-slim`),
		passes(`FROM python:3.12-slim`, `ENV PYTHONDONTWRITEBYTECODE=1`),
		passes(`FROM python:3.12-slim AS base`, `ENV PYTHONDONTWRITEBYTECODE=1`, `FROM base`),
		passes(`FROM node:20-alpine`, `CMD ["node", "x.js"]`),
		passes(`FROM python:3.12-slim AS build`, `FROM gcr.io/distroless/static-debian12:nonroot`, `COPY --from=build /x /x`),
	},
})

func TestReadOnlyRules(t *testing.T) { runTables(t, readonlyTables) }

func TestWorldWritableMode(t *testing.T) {
	for mode, want := range map[string]bool{"777": true, "0777": true, "666": true, "0755": false, "1777": false, "o+w": true, "a+w": true, "=rwx": true, "u+w": false, "go-w": false, "g+w,o+w": true} {
		if got := worldWritableMode(mode); got != want {
			t.Errorf("worldWritableMode(%q) = %v, want %v", mode, got, want)
		}
	}
}
