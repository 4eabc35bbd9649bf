package policy

import "testing"

var supplyChainTables = addTables(map[string][]tc{
	"tls-verify-disabled": {
		fires(`FROM alpine:3.20`, `RUN curl -fsSLk https://example.com/x -o /x`),
		fires(`FROM alpine:3.20`, `RUN wget --no-check-certificate https://example.com/x`),
		fires(`FROM python:3.12-slim`, `RUN pip install --trusted-host pypi.example.com -r requirements.txt`),
		fires(`FROM node:20-alpine`, `ENV NODE_TLS_REJECT_UNAUTHORIZED=0`),
		fires(`FROM node:20-alpine`, `RUN npm config set strict-ssl false && npm ci`),
		fires(`FROM alpine:3.20`, `RUN git config --global http.sslVerify false`),
		fires(`FROM alpine:3.20`, `RUN apk add --allow-untrusted /tmp/pkg.apk`),
		fires(`FROM debian:12-slim`, `RUN apt-get install -y --allow-unauthenticated curl`),
		fires(`FROM fedora:40`, `RUN dnf install -y --nogpgcheck x`),
		fires(`FROM fedora:40`, `RUN rpm -i --nosignature x.rpm`),
		fires(`FROM alpine:3.20`, `ENV GIT_SSL_NO_VERIFY=true`),
		passes(`FROM alpine:3.20`, `RUN curl -fsSL https://example.com/x -o /x`),
		passes(`FROM alpine:3.20`, `RUN wget -q https://example.com/x`),
		passes(`FROM node:20-alpine`, `ENV NODE_TLS_REJECT_UNAUTHORIZED=1`),
		passes(`FROM alpine:3.20`, `RUN git config --global http.sslVerify true`),
		passes(`FROM alpine:3.20`, `RUN curl -o /x -H "X-Key: k" https://example.com`),
	},
	"curl-pipe-shell": {
		fires(`FROM debian:12-slim`, `RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -`),
		fires(`FROM alpine:3.20`, `RUN wget -qO- https://get.example.com | sh`),
		fires(`FROM debian:12-slim`, `RUN curl -sL https://x.example.com/install | sudo bash -s -- --yes`),
		fires(`FROM debian:12-slim`, `RUN sh -c "$(curl -fsSL https://raw.githubusercontent.com/x/install.sh)"`),
		fires(`FROM debian:12-slim`, `RUN curl -fsSL https://x.example.com/get.py | python3 -`),
		passes(`FROM debian:12-slim`, `RUN curl -fsSLo /tmp/i.sh https://x.example.com/i.sh && sh /tmp/i.sh`),
		passes(`FROM debian:12-slim`, `RUN curl -fsSL https://x.example.com/key.gpg | gpg --dearmor -o /usr/share/keyrings/x.gpg`),
		passes(`FROM debian:12-slim`, `RUN curl -fsSL https://x.example.com/a.tgz | tar -xz -C /opt`),
		passes(`FROM debian:12-slim`, `RUN echo hi | sh`),
	},
	"add-url": {
		fires(`FROM alpine:3.20`, `ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini`),
		fires(`FROM alpine:3.20`, `ADD http://example.com/a.tgz /opt/`),
		fires(`FROM alpine:3.20`, `ADD https://github.com/acme/repo.git#main /src`),
		passes(`FROM alpine:3.20`, `ADD --checksum=sha256:c5b0666b4cb676901f90dfcb37106783c5fe2077b04590973b885950611b30ee https://example.com/tini /tini`),
		passes(`FROM alpine:3.20`, `ADD https://github.com/acme/repo.git#0123456789abcdef0123456789abcdef01234567 /src`),
		passes(`FROM alpine:3.20`, `ADD rootfs.tar.gz /`),
		passes(`FROM alpine:3.20`, `COPY app /app`),
	},
	"add-local": {
		fires(`FROM alpine:3.20`, `ADD app.py /app/`),
		fires(`FROM alpine:3.20`, `ADD . /app`),
		fires(`FROM alpine:3.20 AS build`, `ADD config/ /etc/app/`, `FROM alpine:3.20`),
		fires(`FROM alpine:3.20`, "ADD <<EOF /etc/motd\nhello\nEOF"),
		passes(`FROM alpine:3.20`, `ADD rootfs.tar.xz /`),
		passes(`FROM alpine:3.20`, `ADD --checksum=sha256:c5b0666b4cb676901f90dfcb37106783c5fe2077b04590973b885950611b30ee https://example.com/x /x`),
		passes(`FROM alpine:3.20`, `COPY app.py /app/`),
		passes(`FROM alpine:3.20`, `ADD vendor.tgz /opt/`),
	},
	"syntax-pin": {
		fires(`# syntax=docker/dockerfile:1`, `FROM alpine:3.20`),
		fires(`# syntax = docker/dockerfile:1.7-labs`, `FROM alpine:3.20`),
		fires(`#syntax=docker.io/docker/dockerfile-upstream:master`, `# escape=\`, `FROM alpine:3.20`),
		passes(`# syntax=docker/dockerfile:1.10@sha256:865e5dd094beca432e8c0a1d5e1c465db5f998dca4e439981029b3b81fb39ed5`, `FROM alpine:3.20`),
		passes(`FROM alpine:3.20`),
		passes(`FROM alpine:3.20`, `# syntax=docker/dockerfile:1`),
	},
})

func TestSupplyChainRules(t *testing.T) { runTables(t, supplyChainTables) }
