package policy

import "testing"

var multistageTables = addTables(map[string][]tc{
	"single-stage": {
		fires(`FROM golang:1.22`, `COPY . .`, `RUN go build -o /server .`, `CMD ["/server"]`),
		fires(`FROM node:20-alpine`, `COPY . .`, `RUN npm ci && npm run build`, `CMD ["node", "dist/x.js"]`),
		fires(`FROM node:20-alpine AS base`, `RUN npx tsc`, `FROM base`, `CMD ["node", "dist/x.js"]`),
		fires(`FROM maven:3.9-eclipse-temurin-21`, `RUN mvn -B package`),
		fires(`FROM rust:1.78`, `RUN cargo build --release`),
		fires(`FROM debian:12-slim`, `RUN ./configure && make && make install`),
		passes(`FROM golang:1.22 AS build`, `RUN go build -o /server .`, `FROM alpine:3.20`, `COPY --from=build /server /server`),
		passes(`FROM node:20-alpine AS build`, `RUN npm run build`, `FROM node:20-alpine`, `COPY --from=build /app/dist ./dist`),
		passes(`FROM node:20-alpine`, `COPY dist/ ./dist/`, `CMD ["node", "dist/x.js"]`),
		passes(`FROM golang:1.22 AS build`, `RUN go build -o /server .`, `FROM build AS test`, `RUN go test ./...`, `FROM scratch`, `COPY --from=build /server /server`),
	},
	"build-tools-in-runtime": {
		fires(`FROM python:3.12-slim`, `RUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*`),
		fires(`FROM python:3.12-alpine`, `RUN apk add --no-cache gcc musl-dev`),
		fires(`FROM debian:12-slim AS base`, `RUN apt-get install -y git`, `FROM base`),
		fires(`FROM fedora:40`, `RUN dnf install -y openssl-devel && dnf clean all`),
		passes(`FROM python:3.12-slim AS build`, `RUN apt-get install -y build-essential libpq-dev`, `FROM python:3.12-slim`, `RUN apt-get install -y libpq5`),
		passes(`FROM python:3.12-alpine`, `RUN apk add --no-cache --virtual .build-deps gcc musl-dev && pip install --no-cache-dir psycopg2==2.9.9 && apk del .build-deps`),
		passes(`FROM debian:12-slim`, `RUN apt-get install -y --no-install-recommends make && make && apt-get purge -y make`),
		passes(`FROM alpine:3.20`, `RUN apk add --no-cache tini curl`),
	},
})

func TestMultiStageRules(t *testing.T) { runTables(t, multistageTables) }
