package policy

import "testing"

var correctnessTables = addTables(map[string][]tc{
	"go-static": {
		fires(`FROM golang:1.22 AS build`, `RUN go build -o /server .`, `FROM scratch`, `COPY --from=build /server /server`),
		fires(`FROM golang:1.22 AS build`, `RUN go build -o /server .`, `FROM gcr.io/distroless/static-debian12:nonroot`, `COPY --from=build /server /server`),
		fires(`FROM golang:1.22 AS build`, `RUN GOOS=linux go build -o /server .`, `FROM alpine:3.20`, `COPY --from=build /server /server`),
		fires(`FROM golang:1.22 AS base`, `RUN go build -o /server .`, `FROM base AS build`, `FROM scratch`, `COPY --from=build /server /server`),
		passes(`FROM golang:1.22 AS build`, `RUN CGO_ENABLED=0 go build -o /server .`, `FROM scratch`, `COPY --from=build /server /server`),
		passes(`FROM golang:1.22 AS build`, `ENV CGO_ENABLED=0`, `RUN go build -o /server .`, `FROM scratch`, `COPY --from=build /server /server`),
		passes(`FROM golang:1.22 AS build`, `ARG CGO_ENABLED=0`, `RUN go build -o /server .`, `FROM scratch`, `COPY --from=build /server /server`),
		passes(`FROM golang:1.22 AS build`, `RUN go build -o /server .`, `FROM gcr.io/distroless/base-debian12`, `COPY --from=build /server /server`),
		passes(`FROM golang:1.22 AS build`, `RUN go build -o /server .`, `FROM debian:12-slim`, `COPY --from=build /server /server`),
	},
	"scratch-ca-certs": {
		fires(`FROM scratch`, `COPY server /server`),
		fires(`FROM golang:1.22 AS build`, `FROM scratch`, `COPY --from=build /server /server`),
		fires(`FROM scratch AS base`, `COPY x /x`, `FROM base`),
		passes(`FROM scratch`, `COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`),
		passes(`FROM scratch`, `COPY --from=build /etc/ssl/ /etc/ssl/`),
		passes(`FROM alpine:3.20`),
		passes(`FROM gcr.io/distroless/static-debian12:nonroot`, `COPY server /server`),
	},
	"scratch-tzdata": {
		fires(`FROM scratch`, `ENV TZ=Europe/Paris`),
		fires(`FROM scratch`, `COPY --from=build /etc/ssl/certs /etc/ssl/certs`, `ENV TZ=UTC`),
		fires(`FROM scratch AS base`, `ENV TZ=America/New_York`, `FROM base`),
		passes(`FROM scratch`, `COPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo`, `ENV TZ=Europe/Paris`),
		passes(`FROM scratch`, `COPY server /server`),
		passes(`FROM alpine:3.20`, `ENV TZ=Europe/Paris`),
	},
	"node-heap": {
		fires(`FROM node:20-alpine`, `CMD ["node", "server.js"]`),
		fires(`FROM node:20-alpine`, `ENV NODE_OPTIONS=--enable-source-maps`),
		fires(`FROM gcr.io/distroless/nodejs20-debian12:nonroot`, `CMD ["server.js"]`),
		passes(`FROM node:20-alpine`, `ENV NODE_OPTIONS="--max-old-space-size=384"`),
		passes(`FROM node:20-alpine`, `CMD ["node", "--max-old-space-size=384", "server.js"]`),
		passes(`FROM node:20-alpine AS build`, `FROM nginx:1.27-alpine`),
		passes(`FROM node:20-alpine AS base`, `ENV NODE_OPTIONS="--max-old-space-size=0"`, `FROM base`),
	},
	"python-unbuffered": {
		fires(`FROM python:3.12-slim`, `CMD ["python", "-m", "app"]`),
		fires(`FROM python:3.12-slim`, `ENV PYTHONUNBUFFERED=`),
		fires(`FROM debian:12-slim`, `CMD ["gunicorn", "app:app"]`),
		passes(`FROM python:3.12-slim`, `ENV PYTHONUNBUFFERED=1`),
		passes(`FROM python:3.12-slim`, `CMD ["python", "-u", "app.py"]`),
		passes(`FROM python:3.12-slim AS build`, `FROM gcr.io/distroless/static-debian12:nonroot`),
	},
})

func TestRuntimeCorrectnessRules(t *testing.T) { runTables(t, correctnessTables) }
