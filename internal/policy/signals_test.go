package policy

import "testing"

var signalTables = addTables(map[string][]tc{
	"exec-form": {
		fires(`FROM node:20-alpine`, `CMD node dist/server.js`),
		fires(`FROM node:20-alpine`, `ENTRYPOINT /entrypoint.sh`),
		fires(`FROM node:20-alpine`, `ENTRYPOINT ["/sbin/tini", "--"]`, `CMD node x.js`),
		fires(`FROM node:20-alpine`, `CMD ["sh", "-c", "node x.js"]`),
		fires(`FROM node:20-alpine AS base`, `CMD node x.js`, `FROM base`),
		passes(`FROM node:20-alpine`, `CMD ["node", "dist/server.js"]`),
		// CMD exec node x.js replaces the shell.
		passes(`FROM node:20-alpine`, `CMD exec node x.js`),
		passes(`FROM node:20-alpine`, `CMD ["sh", "-c", "exec node x.js"]`),
		// The shell-form CMD of an earlier stage is replaced by the final one.
		passes(`FROM node:20-alpine AS base`, `CMD node x.js`, `FROM base`, `CMD ["node", "y.js"]`),
		passes(`FROM node:20-alpine AS build`, `CMD npm test`, `FROM node:20-alpine`, `CMD ["node", "x.js"]`),
	},
	"npm-start": {
		fires(`FROM node:20-alpine`, `CMD ["npm", "start"]`),
		fires(`FROM node:20-alpine`, `ENTRYPOINT ["/sbin/tini", "--"]`, `CMD ["yarn", "start"]`),
		fires(`FROM node:20-alpine`, `CMD exec pnpm run serve`),
		passes(`FROM node:20-alpine`, `CMD ["node", "server.js"]`),
		passes(`FROM node:20-alpine AS test`, `CMD ["npm", "test"]`, `FROM node:20-alpine`, `CMD ["node", "server.js"]`),
		passes(`FROM node:20-alpine`, `RUN npm ci`, `CMD ["node", "server.js"]`),
	},
	"init-process": {
		fires(`FROM python:3.12-slim`, `CMD ["uvicorn", "app.main:app"]`),
		fires(`FROM node:20-alpine`, `CMD ["node", "server.js"]`),
		fires(`FROM alpine:3.20`, `ENTRYPOINT ["/docker-entrypoint.sh"]`),
		fires(`FROM ruby:3.3`, `CMD ["bundle", "exec", "puma"]`),
		passes(`FROM python:3.12-slim`, `ENTRYPOINT ["tini", "--"]`, `CMD ["uvicorn", "app.main:app"]`),
		passes(`FROM node:20-alpine`, `ENTRYPOINT ["/usr/bin/dumb-init", "--"]`, `CMD ["node", "server.js"]`),
		passes(`FROM scratch`, `ENTRYPOINT ["/server"]`),
		passes(`FROM alpine:3.20`, `ENTRYPOINT ["/sbin/tini", "-g", "--", "/docker-entrypoint.sh"]`),
	},
	"multiple-entrypoint": {
		fires(`FROM alpine:3.20`, `CMD ["a"]`, `CMD ["b"]`),
		fires(`FROM alpine:3.20`, `ENTRYPOINT ["a"]`, `ENTRYPOINT ["b"]`),
		fires(`FROM alpine:3.20 AS x`, `CMD ["a"]`, `CMD ["b"]`, `FROM alpine:3.20`),
		passes(`FROM alpine:3.20`, `ENTRYPOINT ["a"]`, `CMD ["b"]`),
		passes(`FROM alpine:3.20 AS base`, `CMD ["a"]`, `FROM base`, `CMD ["b"]`),
		passes(`FROM alpine:3.20`),
	},
})

func TestSignalRules(t *testing.T) { runTables(t, signalTables) }
