package policy

import "testing"

const dg = "@sha256:c0a3badbd8a0a760de903e00cedbca94588e609299820557e72cba2a53dbaa2c"

var pinningTables = addTables(map[string][]tc{
	"from-latest": {
		fires(`FROM node`),
		fires(`FROM node:latest`),
		fires(`ARG BASE=python:latest`, `FROM ${BASE}`),
		fires(`FROM alpine:3.20`, `COPY --from=busybox /bin/busybox /bin/busybox`),
		fires(`FROM alpine:3.20`, `RUN --mount=type=bind,from=ghcr.io/acme/tools,target=/t /t/run`),
		fires(`FROM alpine:3.20`, `ONBUILD COPY --from=node /usr/local/bin/node /usr/local/bin/node`),
		passes(`FROM node:20-alpine`),
		passes(`FROM scratch`, `COPY x /x`),
		passes(`FROM golang:1.22 AS build`, `FROM alpine:3.20`, `COPY --from=build /x /x`),
		passes(`FROM node:latest` + dg),
		passes(`ARG BASE=python:latest`, `FROM ${BASE}`).with(func(in *Input) { in.BuildArgs = map[string]string{"BASE": "python:3.12-slim"} }),
		passes(`FROM alpine:3.20 AS base`, `FROM base`, `COPY --from=0 /etc/hosts /x`),
	},
	"from-digest": {
		fires(`FROM node:20.11.1-alpine3.19`),
		fires(`FROM alpine:3.20`+dg, `COPY --from=busybox:1.36 /bin/busybox /bin/busybox`),
		fires(`ARG BASE=python:3.12-slim`, `FROM ${BASE}`),
		fires(`FROM gcr.io/distroless/static-debian12:nonroot`),
		passes(`FROM node:20.11.1-alpine3.19` + dg),
		passes(`FROM scratch`),
		passes(`FROM alpine:3.20`+dg+` AS base`, `FROM base`),
		passes(`ARG BASE=python:3.12-slim`+dg, `FROM ${BASE}`),
	},
	"from-unresolved": {
		fires(`ARG BASE`, `FROM ${BASE}`),
		fires(`FROM node:${NODE_VERSION}-alpine`),
		fires(`ARG TAG`, `FROM alpine:3.20 AS a`, `FROM python:${TAG}`),
		passes(`ARG BASE=alpine:3.20`, `FROM ${BASE}`),
		passes(`ARG BASE`, `FROM ${BASE}`).with(func(in *Input) { in.BuildArgs = map[string]string{"BASE": "alpine:3.20"} }),
		passes(`FROM ${BASE:-alpine:3.20}`),
		passes(`FROM --platform=$BUILDPLATFORM golang:1.22`),
	},
	"trusted-registry": {
		fires(`FROM quay.io/someone/base:1.0`).with(trust("docker.io/library")),
		fires(`FROM node:20`).with(trust("registry.example.com")),
		fires(`FROM registry.example.com/app:1`, `COPY --from=ghcr.io/acme/tool:1 /t /t`).with(trust("registry.example.com")),
		fires(`FROM bitnami/redis:7`).with(trust("node", "docker.io/library")),
		passes(`FROM quay.io/someone/base:1.0`),
		passes(`FROM node:20`).with(trust("docker.io/library")),
		passes(`FROM registry.example.com/team/app:1`).with(trust("registry.example.com")),
		passes(`FROM eu.gcr.io/proj/app:1`).with(trust("*.gcr.io")),
		passes(`FROM scratch`).with(trust("registry.example.com")),
	},
	"package-pin": {
		fires(`FROM alpine:3.20`, `RUN apk add --no-cache tini`),
		fires(`FROM debian:12-slim`, `RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10 tini`),
		fires(`FROM python:3.12-slim`, `RUN pip install --no-cache-dir flask`),
		fires(`FROM node:20-alpine`, `RUN npm install -g typescript`),
		fires(`FROM golang:1.22`, `RUN go install golang.org/x/tools/cmd/goimports@latest`),
		fires(`FROM ruby:3.3`, `RUN gem install bundler`),
		fires(`FROM fedora:40`, `RUN dnf install -y curl && dnf clean all`),
		passes(`FROM alpine:3.20`, `RUN apk add --no-cache tini=0.19.0-r3`),
		passes(`FROM debian:12-slim`, `RUN apt-get install -y --no-install-recommends curl=7.88.1-10`),
		passes(`FROM python:3.12-slim`, `RUN pip install --no-cache-dir -r requirements.txt flask==3.0.3 .`),
		passes(`FROM node:20-alpine`, `RUN npm install -g typescript@5.4.5 && npm ci`),
		passes(`FROM golang:1.22`, `RUN go install golang.org/x/tools/cmd/goimports@v0.21.0`),
		passes(`FROM ruby:3.3`, `RUN gem install bundler -v 2.5.10`),
		passes(`FROM fedora:40`, `RUN dnf install -y curl-8.6.0 && dnf clean all`),
	},
	"lockfile": {
		fires(`FROM node:20-alpine`, `COPY package.json ./`, `RUN npm install`),
		fires(`FROM node:20-alpine`, `COPY package.json yarn.lock ./`, `RUN yarn install`),
		fires(`FROM node:20-alpine`, `RUN pnpm install`),
		fires(`FROM python:3.12-slim`, `COPY pyproject.toml ./`, `RUN poetry install --only main`),
		fires(`FROM node:20-alpine`, `RUN yarn`),
		passes(`FROM node:20-alpine`, `COPY package.json package-lock.json ./`, `RUN npm ci`),
		passes(`FROM node:20-alpine`, `RUN yarn install --frozen-lockfile`),
		passes(`FROM node:20-alpine`, `RUN pnpm install --frozen-lockfile && npm install -g pm2@5.4.0`),
		passes(`FROM python:3.12-slim`, `COPY pyproject.toml poetry.lock ./`, `RUN poetry install --only main`),
		passes(`FROM python:3.12-slim AS base`, `COPY poetry.lock pyproject.toml ./`, `FROM base`, `RUN poetry install`),
		passes(`FROM python:3.12-slim`, `RUN --mount=type=bind,source=poetry.lock,target=poetry.lock poetry install`),
	},
})

func trust(p ...string) func(*Input) { return func(in *Input) { in.TrustedRegistries = p } }

func TestPinningRules(t *testing.T) { runTables(t, pinningTables) }
