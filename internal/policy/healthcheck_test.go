package policy

import "testing"

var healthcheckTables = addTables(map[string][]tc{
	"healthcheck-missing": {
		fires(`FROM node:20-alpine`, `CMD ["node", "x.js"]`),
		// A HEALTHCHECK only in a builder stage does not count.
		fires(`FROM node:20-alpine AS build`, `HEALTHCHECK CMD wget -q --spider http://localhost/`, `FROM node:20-alpine`, `CMD ["node", "x.js"]`),
		fires(`FROM scratch`, `COPY x /x`),
		fires(`FROM python:3.12-slim AS base`, `FROM base`, `CMD ["python", "app.py"]`),
		passes(`FROM node:20-alpine`, `HEALTHCHECK CMD wget -q --spider http://localhost/ || exit 1`),
		passes(`FROM node:20-alpine AS base`, `HEALTHCHECK CMD wget -q --spider http://localhost/`, `FROM base`, `CMD ["node", "x.js"]`),
		passes(`FROM node:20-alpine`, `HEALTHCHECK NONE`),
		passes(`FROM scratch AS prod`, `HEALTHCHECK CMD ["/server", "-healthcheck"]`, `FROM alpine:3.20 AS dev`).with(func(in *Input) { in.Target = "prod" }),
	},
	"healthcheck-tool": {
		fires(`FROM python:3.12-slim`, `HEALTHCHECK CMD curl -f http://localhost:8000/health || exit 1`),
		fires(`FROM node:20-alpine`, `HEALTHCHECK CMD ["curl", "-f", "http://localhost:3000/"]`),
		fires(`FROM scratch`, `HEALTHCHECK CMD ["wget", "-q", "--spider", "http://localhost/"]`),
		fires(`FROM gcr.io/distroless/static-debian12:nonroot`, `HEALTHCHECK CMD /server -healthcheck`),
		fires(`FROM debian:12-slim`, `HEALTHCHECK CMD wget -q --spider http://localhost/`),
		passes(`FROM python:3.12-slim`, `RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*`, `HEALTHCHECK CMD curl -f http://localhost:8000/health`),
		passes(`FROM node:20-alpine`, `HEALTHCHECK CMD wget -q --spider http://localhost:3000/ || exit 1`),
		passes(`FROM scratch`, `HEALTHCHECK CMD ["/server", "-healthcheck"]`),
		passes(`FROM python:3.12`, `HEALTHCHECK CMD curl -f http://localhost/`),
		passes(`FROM alpine:3.20`, `RUN apk add --no-cache curl`, `HEALTHCHECK CMD curl -f http://localhost/`),
	},
	"healthcheck-multiple": {
		fires(`FROM alpine:3.20`, `HEALTHCHECK CMD true`, `HEALTHCHECK CMD false`),
		fires(`FROM alpine:3.20 AS build`, `HEALTHCHECK NONE`, `HEALTHCHECK CMD true`, `FROM alpine:3.20`),
		fires(`FROM alpine:3.20`, `HEALTHCHECK CMD a`, `RUN true`, `HEALTHCHECK CMD b`, `HEALTHCHECK CMD c`),
		passes(`FROM alpine:3.20`, `HEALTHCHECK CMD true`),
		passes(`FROM alpine:3.20 AS base`, `HEALTHCHECK CMD true`, `FROM base`, `HEALTHCHECK CMD false`),
		passes(`FROM alpine:3.20`),
	},
})

func TestHealthcheckRules(t *testing.T) { runTables(t, healthcheckTables) }
