package policy

import "testing"

var minimalTables = addTables(map[string][]tc{
	"apt-no-recommends": {
		fires(`FROM debian:12-slim`, `RUN apt-get update && apt-get install -y tini && rm -rf /var/lib/apt/lists/*`),
		fires(`FROM ubuntu:24.04`, `RUN apt install -y curl`),
		fires(`FROM debian:12-slim AS base`, `RUN apt-get install -y curl`, `FROM base`),
		passes(`FROM debian:12-slim`, `RUN apt-get install -y --no-install-recommends tini`),
		passes(`FROM debian:12-slim`, `RUN apt-get -o APT::Install-Recommends=false install -y tini`),
		passes(`FROM debian:12-slim AS build`, `RUN apt-get install -y build-essential`, `FROM debian:12-slim`),
	},
	"apt-lists": {
		fires(`FROM debian:12-slim`, `RUN apt-get update && apt-get install -y --no-install-recommends tini`),
		fires(`FROM debian:12-slim`, `RUN apt-get update && apt-get install -y tini && apt-get clean`),
		fires(`FROM debian:12-slim AS base`, `RUN apt-get install -y tini`, `FROM base`),
		passes(`FROM debian:12-slim`, `RUN apt-get update && apt-get install -y tini && rm -rf /var/lib/apt/lists/*`),
		passes(`FROM debian:12-slim`, `RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y tini`),
		passes(`FROM debian:12-slim AS build`, `RUN apt-get install -y gcc`, `FROM debian:12-slim`),
	},
	"apk-no-cache": {
		fires(`FROM alpine:3.20`, `RUN apk update && apk add tini`),
		fires(`FROM alpine:3.20`, `RUN apk add --update tini`),
		fires(`FROM node:20-alpine AS base`, `RUN apk add tini`, `FROM base`),
		passes(`FROM alpine:3.20`, `RUN apk add --no-cache tini`),
		passes(`FROM alpine:3.20`, `RUN --mount=type=cache,target=/var/cache/apk apk add --update-cache tini`),
		passes(`FROM alpine:3.20 AS build`, `RUN apk add gcc`, `FROM alpine:3.20`),
	},
	"pip-no-cache": {
		fires(`FROM python:3.12-slim`, `RUN pip install gunicorn==22.0.0`),
		fires(`FROM python:3.12-slim`, `RUN python -m pip install -r requirements.txt`),
		fires(`FROM python:3.12-slim AS base`, `RUN pip3 install uvicorn==0.30.1`, `FROM base`),
		passes(`FROM python:3.12-slim`, `RUN pip install --no-cache-dir gunicorn==22.0.0`),
		passes(`FROM python:3.12-slim`, `ENV PIP_NO_CACHE_DIR=1`, `RUN pip install gunicorn==22.0.0`),
		passes(`FROM python:3.12-slim`, `RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt`),
		passes(`FROM python:3.12-slim AS build`, `RUN pip install -r requirements.txt`, `FROM python:3.12-slim`),
	},
	"pkg-clean": {
		fires(`FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4`, `RUN microdnf install -y shadow-utils-4.9`),
		fires(`FROM fedora:40`, `RUN dnf install -y curl-8.6.0`),
		fires(`FROM opensuse/leap:15.6`, `RUN zypper --non-interactive install curl`),
		passes(`FROM fedora:40`, `RUN dnf install -y curl-8.6.0 && dnf clean all`),
		passes(`FROM centos:7`, `RUN yum install -y curl && rm -rf /var/cache/yum`),
		passes(`FROM fedora:40 AS build`, `RUN dnf install -y gcc`, `FROM fedora:40`),
	},
	"dist-upgrade": {
		fires(`FROM debian:12-slim`, `RUN apt-get update && apt-get upgrade -y`),
		fires(`FROM debian:12-slim`, `RUN apt-get dist-upgrade -y`),
		fires(`FROM debian:12-slim AS build`, `RUN apt full-upgrade -y`, `FROM alpine:3.20`),
		passes(`FROM debian:12-slim`, `RUN apt-get update && apt-get install -y --no-install-recommends tini`),
		passes(`FROM debian:12-slim`, `RUN apt-get install -y --only-upgrade openssl`),
		passes(`FROM alpine:3.20`),
	},
})

func TestMinimalRuntimeRules(t *testing.T) { runTables(t, minimalTables) }
