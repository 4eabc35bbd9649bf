package policy

import "testing"

var chownTables = addTables(map[string][]tc{
	"chown-layer": {
		fires(`FROM node:20-alpine`, `WORKDIR /app`, `COPY . .`, `RUN chown -R 10001:10001 /app`),
		fires(`FROM node:20-alpine`, `WORKDIR /app`, `COPY dist/ ./dist/`, `RUN chmod -R g+r .`),
		fires(`FROM alpine:3.20 AS base`, `COPY app /opt/app`, `FROM base`, `RUN chown --recursive app /opt/app/bin`),
		passes(`FROM node:20-alpine`, `WORKDIR /app`, `COPY --chown=10001:10001 . .`),
		passes(`FROM node:20-alpine`, `COPY . /app`, `RUN mkdir /data && chown -R 10001 /data`),
		passes(`FROM node:20-alpine`, `COPY . /app`, `RUN chown 10001 /app`),
		passes(`FROM alpine:3.20 AS build`, `COPY . /src`, `RUN chown -R 1 /src`, `FROM alpine:3.20`),
	},
	"copy-chown": {
		fires(`FROM node:20-alpine`, `WORKDIR /app`, `COPY dist/ ./dist/`, `USER 10001`),
		fires(`FROM python:3.12-slim`, `WORKDIR /srv`, `COPY . .`, `USER app`),
		fires(`FROM node:20-alpine AS base`, `WORKDIR /app`, `COPY --from=build /app/dist ./dist`, `FROM base`, `USER 10001`),
		passes(`FROM node:20-alpine`, `WORKDIR /app`, `COPY --chown=10001:10001 dist/ ./dist/`, `USER 10001`),
		passes(`FROM node:20-alpine`, `WORKDIR /app`, `COPY dist/ ./dist/`),
		passes(`FROM scratch`, `COPY --from=build /server /server`, `USER 65532`),
		passes(`FROM python:3.12-slim`, `WORKDIR /app`, `COPY --from=build /app/.venv /app/.venv`, `COPY --from=build /opt/venv /opt/venv`, `USER 10001`),
	},
})

func TestChownRules(t *testing.T) { runTables(t, chownTables) }
