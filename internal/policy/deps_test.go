package policy

import "testing"

var depsTables = addTables(map[string][]tc{
	"dev-dependencies": {
		fires(`FROM node:20-alpine`, `COPY package.json package-lock.json ./`, `RUN npm ci`, `CMD ["node", "x.js"]`),
		fires(`FROM node:20-alpine AS deps`, `RUN npm ci`, `FROM node:20-alpine`, `COPY --from=deps /app/node_modules ./node_modules`),
		fires(`FROM python:3.12-slim`, `RUN poetry install`),
		fires(`FROM python:3.12-slim`, `RUN pip install --no-cache-dir -r requirements-dev.txt`),
		fires(`FROM php:8.3-fpm`, `RUN composer install`),
		fires(`FROM ruby:3.3`, `RUN bundle install`),
		passes(`FROM node:20-alpine`, `RUN npm ci --omit=dev`),
		passes(`FROM node:20-alpine`, `ENV NODE_ENV=production`, `RUN npm ci`),
		passes(`FROM node:20-alpine AS deps`, `RUN npm ci`, `FROM deps AS build`, `RUN npm run build && npm prune --production`, `FROM node:20-alpine`, `COPY --from=build /app/node_modules ./node_modules`),
		passes(`FROM python:3.12-slim`, `RUN poetry install --without dev --no-root`),
		passes(`FROM ruby:3.3`, `ENV BUNDLE_WITHOUT=development:test`, `RUN bundle install`),
		passes(`FROM node:20-alpine AS test`, `RUN npm ci`, `FROM node:20-alpine`, `COPY --from=test /app/dist ./dist`),
	},
	"node-env": {
		fires(`FROM node:20-alpine`, `CMD ["node", "server.js"]`),
		fires(`FROM node:20-alpine`, `ENV NODE_ENV=development`),
		fires(`FROM debian:12-slim`, `RUN apt-get install -y nodejs`, `CMD ["node", "x.js"]`),
		passes(`FROM node:20-alpine`, `ENV NODE_ENV=production`),
		passes(`FROM node:20-alpine AS base`, `ENV NODE_ENV=production`, `FROM base`),
		passes(`FROM python:3.12-slim`, `CMD ["python", "x.py"]`),
		passes(`FROM node:20-alpine AS build`, `RUN npm run build`, `FROM nginx:1.27-alpine`, `COPY --from=build /app/dist /usr/share/nginx/html`),
	},
})

func TestProductionDepsRules(t *testing.T) { runTables(t, depsTables) }
