package policy

import (
	"strings"
	"testing"
)

var secretTables = addTables(map[string][]tc{
	"secret-env": {
		fires(`FROM node:20-alpine`, `ENV NPM_TOKEN=0123456789abcdef`),
		fires(`FROM alpine:3.20`, `ENV DB_PASSWORD=hunter2`),
		fires(`FROM alpine:3.20 AS build`, `ENV AWS_KEY=AKIAIOSFODNN7EXAMPLE`, `FROM alpine:3.20`),
		fires(`FROM alpine:3.20`, `ARG API_KEY`, `ENV API_KEY=${API_KEY}`),
		fires(`FROM alpine:3.20`, `ENV githubApiToken=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB`),
		passes(`FROM alpine:3.20`, `ENV NEXT_PUBLIC_API_KEY=pk_test_123`),
		passes(`FROM alpine:3.20`, `ENV DB_PASSWORD_FILE=/run/secrets/db_password`),
		passes(`FROM alpine:3.20`, `ENV TOKENIZERS_PARALLELISM=false AUTHOR=me`),
		passes(`FROM alpine:3.20`, `ENV NODE_ENV=production PORT=3000`),
		passes(`FROM alpine:3.20`, `ENV SECRET_VERSION=2`),
	},
	"secret-arg": {
		fires(`FROM node:20-alpine`, `ARG NPM_TOKEN`),
		fires(`ARG GITHUB_TOKEN`, `FROM alpine:3.20`),
		fires(`FROM alpine:3.20 AS build`, `ARG DB_PASSWORD=changeme`, `FROM alpine:3.20`),
		fires(`FROM alpine:3.20`, `ARG KEY=AKIAIOSFODNN7EXAMPLE`),
		passes(`FROM alpine:3.20`, `ARG VERSION=1.0`),
		passes(`FROM alpine:3.20`, `ARG TOKEN_FILE=/run/secrets/t`),
		passes(`ARG BASE=alpine:3.20`, `FROM ${BASE}`, `ARG COMMIT BUILD_TIME`),
	},
	"secret-file": {
		fires(`FROM node:20-alpine`, `COPY .npmrc package.json ./`),
		fires(`FROM alpine:3.20`, `COPY .env /app/.env`),
		fires(`FROM alpine:3.20`, `COPY id_rsa /root/.ssh/id_rsa`),
		fires(`FROM alpine:3.20 AS build`, `ADD certs/server.key /etc/ssl/private/`, `FROM alpine:3.20`),
		fires(`FROM alpine:3.20`, `COPY config/credentials-prod.json /app/`),
		fires(`FROM alpine:3.20`, `COPY aws/ /root/.aws/credentials`),
		fires(`FROM alpine:3.20`, "COPY <<EOF /root/.npmrc\n//registry.npmjs.org/:_authToken=abcdef\nEOF"),
		passes(`FROM node:20-alpine`, `COPY package.json package-lock.json ./`),
		passes(`FROM alpine:3.20`, `COPY envoy.yaml /etc/envoy/envoy.yaml`),
		passes(`FROM alpine:3.20`, `COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`),
		passes(`FROM alpine:3.20`, `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`),
		passes(`FROM alpine:3.20`, `COPY src/keys.go src/`),
	},
	"secret-in-run": {
		fires(`FROM alpine:3.20`, `RUN wget -q https://deploy:hunter2@downloads.example.com/app.tgz`),
		fires(`FROM alpine:3.20`, `RUN curl -H "Authorization: Bearer abc123" https://api.example.com/x`),
		fires(`FROM node:20-alpine`, `RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci`),
		fires(`FROM alpine:3.20`, `RUN docker login --username ci --password s3cr3t registry.example.com`),
		fires(`FROM amazon/aws-cli:2.15.0`, `RUN aws configure set aws_secret_access_key wJalrXUtnFEMI`),
		fires(`FROM alpine:3.20`, `ARG GH_TOKEN`, `RUN git clone https://${GH_TOKEN}@github.com/acme/private.git`),
		passes(`FROM alpine:3.20`, `RUN --mount=type=secret,id=netrc,target=/root/.netrc wget -q https://downloads.example.com/app.tgz`),
		passes(`FROM alpine:3.20`, `RUN curl -H "Authorization: Bearer $TOKEN" https://api.example.com/x`),
		passes(`FROM alpine:3.20`, `RUN git clone https://github.com/acme/public.git`),
		passes(`FROM alpine:3.20`, `RUN echo "$PASS" | docker login --username ci --password-stdin registry.example.com`),
		passes(`FROM node:20-alpine`, `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`),
	},
	"copy-context-leak": {
		fires(`FROM node:20-alpine`, `COPY . .`).with(noIgnore),
		fires(`FROM node:20-alpine`, `COPY . /app`).with(ignoreFile("node_modules\n")),
		fires(`FROM alpine:3.20 AS build`, `ADD ./ /src`, `FROM alpine:3.20`).with(ignoreFile(".git\n")),
		fires(`FROM alpine:3.20`, `COPY --chown=1:1 . .`).with(ignoreFile(".env\n.git\n")),
		passes(`FROM node:20-alpine`, `COPY . .`),
		passes(`FROM node:20-alpine`, `COPY src/ ./src/`).with(noIgnore),
		passes(`FROM node:20-alpine`, `COPY --from=build . .`).with(noIgnore),
		passes(`FROM node:20-alpine`, `COPY . .`).with(ignoreFile("**/.git\n**/.env*\n")),
	},
})

func noIgnore(in *Input) { in.Dockerignore = nil }

func ignoreFile(s string) func(*Input) { return func(in *Input) { in.Dockerignore = []byte(s) } }

func TestSecretRules(t *testing.T) { runTables(t, secretTables) }

func TestSecretsAreMasked(t *testing.T) {
	df := "FROM alpine:3.20\n" +
		"ENV DB_PASSWORD=hunter2 AWS_KEY=AKIAIOSFODNN7EXAMPLE\n" +
		"ARG SLACK=xoxb-123456789012-abcdefghijkl\n" +
		"RUN wget https://deploy:hunter2@example.com/x && curl -H 'Authorization: Bearer tok3n' https://x\n"
	r, err := Evaluate(Input{Dockerfile: []byte(df)})
	if err != nil {
		t.Fatal(err)
	}
	j, _ := r.JSON()
	s, _ := r.SARIF()
	for _, secret := range []string{"hunter2", "IOSFODNN7EXAMPLE", "123456789012-abcdefghijkl", "tok3n"} {
		if strings.Contains(string(j), secret) || strings.Contains(string(s), secret) {
			t.Errorf("report leaks %q:\n%s", secret, j)
		}
	}
	if !strings.Contains(string(j), "AKIA****") {
		t.Errorf("credential prefix should stay visible when masked: %s", j)
	}
}

func TestSecretName(t *testing.T) {
	for name, want := range map[string]bool{
		"DB_PASSWORD": true, "dbPassword": true, "NPM_TOKEN": true, "GITHUB_AUTH_TOKEN": true, "API_KEY": true,
		"APIKEY": true, "aws_secret_access_key": true, "PRIVATE_KEY": true, "BASIC_AUTH": true, "CREDENTIALS": true,
		"NEXT_PUBLIC_API_KEY": false, "PASSWORD_FILE": false, "TOKEN_VERSION": false, "AUTHOR": false,
		"TOKENIZERS_PARALLELISM": false, "KEYBOARD": false, "PATH": false, "PWD": false,
	} {
		if got := secretName(name); got != want {
			t.Errorf("secretName(%q) = %v, want %v", name, got, want)
		}
	}
}
