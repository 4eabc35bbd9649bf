package policy

import "testing"

var dockerignoreTables = addTables(map[string][]tc{
	"dockerignore-missing": {
		fires(`FROM alpine:3.20`).with(noIgnore),
		fires(`FROM node:20-alpine`, `COPY package.json ./`).with(noIgnore),
		fires(`# only a comment`).with(noIgnore),
		passes(`FROM alpine:3.20`),
		passes(`FROM alpine:3.20`).with(ignoreFile("")),
		passes(`FROM alpine:3.20`).with(ignoreFile(".git\n")),
	},
	"dockerignore-incomplete": {
		fires(`FROM alpine:3.20`).with(ignoreFile("dist\n")),
		fires(`FROM alpine:3.20`).with(ignoreFile(".git\n.env\n")),
		fires(`FROM node:20-alpine`, `COPY package*.json ./`).with(ignoreFile(".git\n.env*\n")),
		fires(`FROM python:3.12-slim`).with(func(in *Input) {
			in.Dockerignore = []byte(".git\n.env*\n")
			in.ContextFiles = []string{"pyproject.toml", "app"}
		}),
		fires(`FROM alpine:3.20`).with(ignoreFile("*\n!.git\n!.env\n")),
		passes(`FROM alpine:3.20`).with(ignoreFile(".git\n.env*\n")),
		passes(`FROM node:20-alpine`, `COPY package.json package-lock.json ./`).with(ignoreFile(".git\n.env*\nnode_modules\n")),
		passes(`FROM python:3.12-slim`, `COPY requirements.txt .`).with(ignoreFile("**/.git\n.env*\n__pycache__\n.venv\n")),
		passes(`FROM alpine:3.20`).with(noIgnore),
		passes(`FROM alpine:3.20`).with(ignoreFile("*\n!src\n")),
	},
})

func TestDockerignoreRules(t *testing.T) { runTables(t, dockerignoreTables) }
