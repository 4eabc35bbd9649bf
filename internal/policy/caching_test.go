package policy

import "testing"

var cachingTables = addTables(map[string][]tc{
	"cache-order": {
		fires(`FROM node:20-alpine`, `WORKDIR /app`, `COPY . .`, `RUN npm ci`),
		fires(`FROM python:3.12-slim`, `COPY . .`, `RUN pip install --no-cache-dir -r requirements.txt`),
		fires(`FROM golang:1.22 AS build`, `COPY . .`, `RUN go mod download`, `FROM scratch`),
		fires(`FROM python:3.12-slim`, `COPY . /app`, `RUN poetry install --only main`),
		passes(`FROM node:20-alpine`, `COPY package.json package-lock.json ./`, `RUN npm ci`, `COPY . .`),
		passes(`FROM golang:1.22`, `COPY go.mod go.sum ./`, `RUN go mod download`, `COPY . .`, `RUN go build -o /x .`),
		passes(`FROM node:20-alpine AS base`, `COPY . .`, `FROM node:20-alpine`, `RUN npm ci`),
		passes(`FROM node:20-alpine`, `COPY . .`, `RUN npm run build`),
	},
	"apt-update-alone": {
		fires(`FROM debian:12-slim`, `RUN apt-get update`, `RUN apt-get install -y curl`),
		fires(`FROM alpine:3.20`, `RUN apk update`),
		fires(`FROM debian:12-slim AS build`, `RUN apt update`, `FROM alpine:3.20`),
		passes(`FROM debian:12-slim`, `RUN apt-get update && apt-get install -y curl`),
		passes(`FROM alpine:3.20`, `RUN apk update && apk add curl`),
		passes(`FROM alpine:3.20`, `RUN apk add --no-cache curl`),
	},
	"cache-mount": {
		fires(`FROM python:3.12-slim`, `RUN pip install --no-cache-dir -r requirements.txt`),
		fires(`FROM node:20-alpine`, `RUN npm ci`),
		fires(`FROM alpine:3.20`, `RUN apk add --no-cache tini`),
		fires(`FROM golang:1.22`, `RUN go mod download`),
		passes(`FROM python:3.12-slim`, `RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt`),
		passes(`FROM node:20-alpine`, `RUN --mount=type=cache,target=/root/.npm npm ci`),
		passes(`FROM alpine:3.20`, `RUN --mount=type=cache,target=/var/cache/apk apk add tini`),
		passes(`FROM node:20-alpine`, `RUN npm run build`),
	},
})

func TestCachingRules(t *testing.T) { runTables(t, cachingTables) }

func TestCacheMountIsInfoAndNeverFails(t *testing.T) {
	r := evalCase(t, passes(`FROM alpine:3.20`+dg, `RUN apk add --no-cache tini=0.19.0-r3`, `USER 10001`,
		`HEALTHCHECK CMD wget -q --spider http://127.0.0.1/`, `LABEL org.opencontainers.image.source=https://github.com/a/b`,
		`VOLUME /tmp`, `ENTRYPOINT ["/app"]`).with(func(in *Input) { in.FailOn = Info }))
	if !hasActive(r, "cache-mount") || !r.Passed || r.Checklist["layer_caching"] != StatusPass {
		t.Fatalf("info findings must never fail: passed=%v checklist=%v findings=%+v", r.Passed, r.Checklist, r.Active())
	}
}
