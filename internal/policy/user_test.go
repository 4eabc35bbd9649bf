package policy

import "testing"

var userTables = addTables(map[string][]tc{
	"user-root": {
		fires(`FROM node:20-alpine`, `CMD ["node", "x.js"]`),
		// A USER in a builder does not carry into the final stage.
		fires(`FROM golang:1.22 AS build`, `USER 10001`, `RUN go build -o /x .`, `FROM alpine:3.20`, `COPY --from=build /x /x`),
		fires(`FROM alpine:3.20`, `USER root`),
		fires(`FROM alpine:3.20`, `USER 10001`, `USER 0:0`),
		fires(`FROM alpine:3.20`, `ARG RUNUSER=root`, `USER ${RUNUSER}`),
		fires(`FROM alpine:3.20 AS base`, `USER 10001`, `FROM base`, `USER root:root`),
		fires(`FROM gcr.io/distroless/static-debian12`, `ENTRYPOINT ["/server"]`),
		passes(`FROM alpine:3.20`, `USER 10001:10001`),
		// Root only in a builder stage passes.
		passes(`FROM golang:1.22 AS build`, `USER root`, `RUN go build -o /x .`, `FROM alpine:3.20`, `COPY --from=build /x /x`, `USER 10001`),
		passes(`FROM alpine:3.20 AS base`, `USER 10001`, `FROM base`, `RUN true`),
		passes(`FROM gcr.io/distroless/static-debian12:nonroot`, `ENTRYPOINT ["/server"]`),
		passes(`FROM alpine:3.20`, `ARG RUNUSER=root`, `USER ${RUNUSER}`).with(func(in *Input) { in.BuildArgs = map[string]string{"RUNUSER": "10001"} }),
		passes(`FROM alpine:3.20 AS app`, `USER 10001`, `FROM alpine:3.20 AS debug`).with(func(in *Input) { in.Target = "app" }),
	},
	"user-numeric": {
		fires(`FROM alpine:3.20`, `USER app`),
		fires(`FROM alpine:3.20`, `USER nobody:nogroup`),
		fires(`FROM node:20-alpine AS base`, `USER node`, `FROM base`, `CMD ["node", "x.js"]`),
		passes(`FROM alpine:3.20`, `USER 10001`),
		passes(`FROM alpine:3.20`, `USER 10001:10001`),
		passes(`FROM alpine:3.20`, `USER root`),
		passes(`FROM alpine:3.20 AS build`, `USER builder`, `FROM alpine:3.20`, `USER 65532`),
	},
	"sudo": {
		fires(`FROM debian:12-slim`, `RUN sudo apt-get update`),
		fires(`FROM debian:12-slim`, `RUN ./configure && sudo -E make install`),
		fires(`FROM debian:12-slim`, `RUN apt-get update && apt-get install -y --no-install-recommends sudo=1.9.13p3-1 && rm -rf /var/lib/apt/lists/*`),
		fires(`FROM debian:12-slim AS build`, `RUN sudo make`, `FROM alpine:3.20`, `USER 1`),
		passes(`FROM debian:12-slim`, `RUN apt-get update && apt-get install -y curl`),
		passes(`FROM alpine:3.20`, `RUN echo sudo is not used here`),
		passes(`FROM debian:12-slim AS build`, `RUN apt-get install -y sudo`, `FROM alpine:3.20`, `USER 1`),
		passes(`FROM debian:12-slim`, `RUN visudo -c`),
	},
})

func TestUserRules(t *testing.T) { runTables(t, userTables) }
