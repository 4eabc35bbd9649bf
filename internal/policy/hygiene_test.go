package policy

import "testing"

var hygieneTables = addTables(map[string][]tc{
	"workdir-relative": {
		fires(`FROM alpine:3.20`, `WORKDIR app`),
		fires(`FROM alpine:3.20 AS b`, `WORKDIR src/app`, `FROM alpine:3.20`),
		fires(`FROM alpine:3.20`, `WORKDIR /app`, `WORKDIR ./sub`),
		passes(`FROM alpine:3.20`, `WORKDIR /app`),
		passes(`FROM alpine:3.20`, `WORKDIR $HOME/app`),
		passes(`FROM mcr.microsoft.com/windows/servercore:ltsc2022`, `WORKDIR C:\app`),
	},
	"cd-in-run": {
		fires(`FROM alpine:3.20`, `RUN cd /app && make`),
		fires(`FROM alpine:3.20`, `RUN mkdir x; cd x; touch y`),
		fires(`FROM alpine:3.20 AS b`, `RUN (cd /src && make)`, `FROM alpine:3.20`),
		passes(`FROM alpine:3.20`, `WORKDIR /app`, `RUN make`),
		passes(`FROM alpine:3.20`, `RUN make -C /app`),
		passes(`FROM alpine:3.20`, `RUN echo cd /app`),
	},
	"pipefail": {
		fires(`FROM alpine:3.20`, `RUN wget -qO- https://example.com/list | sort > /list`),
		fires(`FROM debian:12-slim`, `SHELL ["/bin/bash", "-c"]`, `RUN curl -fsSL https://example.com/k | gpg --dearmor -o /k.gpg`),
		fires(`FROM alpine:3.20 AS b`, `RUN cat a | grep b`, `FROM alpine:3.20`),
		passes(`FROM alpine:3.20`, `RUN set -o pipefail && wget -qO- https://example.com/list | sort > /list`),
		passes(`FROM debian:12-slim`, `SHELL ["/bin/bash", "-o", "pipefail", "-c"]`, `RUN curl -fsSL https://example.com/k | gpg --dearmor -o /k.gpg`),
		passes(`FROM alpine:3.20`, `RUN make || true`),
		passes(`FROM alpine:3.20`, `RUN ["sh", "-c", "echo hi"]`),
	},
	"expose-ssh": {
		fires(`FROM alpine:3.20`, `EXPOSE 22`),
		fires(`FROM alpine:3.20`, `EXPOSE 8080 22/tcp`),
		fires(`FROM alpine:3.20`, `ARG SSH_PORT=22`, `EXPOSE ${SSH_PORT}`),
		passes(`FROM alpine:3.20`, `EXPOSE 8080`),
		passes(`FROM alpine:3.20`, `EXPOSE 2222`),
		passes(`FROM alpine:3.20`, `EXPOSE 220/udp`),
	},
	"stage-name-duplicate": {
		fires(`FROM golang:1.22 AS build`, `FROM node:20 AS build`, `FROM alpine:3.20`),
		fires(`FROM alpine:3.20 AS app`, `FROM alpine:3.20 AS APP`),
		fires(`FROM alpine:3.20 AS a`, `FROM alpine:3.20 AS b`, `FROM alpine:3.20 AS a`),
		passes(`FROM golang:1.22 AS build-go`, `FROM node:20 AS build-web`, `FROM alpine:3.20`),
		passes(`FROM alpine:3.20`, `FROM alpine:3.20`),
		passes(`FROM alpine:3.20 AS a`, `FROM a AS b`),
	},
	"copy-from-self": {
		fires(`FROM alpine:3.20 AS app`, `COPY --from=app /etc/hosts /tmp/hosts`),
		fires(`FROM alpine:3.20 AS app`, `RUN --mount=from=app,target=/x true`),
		fires(`FROM alpine:3.20 AS base`, `FROM alpine:3.20`, `COPY --from=1 /a /b`),
		passes(`FROM alpine:3.20 AS base`, `FROM alpine:3.20 AS app`, `COPY --from=base /etc/hosts /tmp/hosts`),
		passes(`FROM alpine:3.20 AS app`, `COPY --from=alpine:3.19 /etc/hosts /tmp/hosts`),
		passes(`FROM alpine:3.20`, `FROM alpine:3.20`, `COPY --from=0 /a /b`),
	},
	"parse-error": {
		fires(`FROM alpine:3.20`, `RUN --frobnicate echo hi`),
		fires(`FROM alpine:3.20`, `FROBNICATE x`),
		fires(`FROM alpine:3.20`, `RUN <<EOF`, `echo hi`),
		fires(`RUN echo before from`, `FROM alpine:3.20`),
		passes(`FROM alpine:3.20`, `RUN echo hi`),
		passes(`FROM alpine:3.20`, "RUN <<EOF\necho hi\nEOF"),
		passes(`# escape=`+"`", `FROM alpine:3.20`, "RUN echo a `", `  && echo b`),
	},
})

func TestHygieneRules(t *testing.T) { runTables(t, hygieneTables) }
