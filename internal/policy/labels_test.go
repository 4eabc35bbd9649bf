package policy

import "testing"

var labelTables = addTables(map[string][]tc{
	"oci-labels": {
		fires(`FROM alpine:3.20`, `USER 10001`),
		fires(`FROM alpine:3.20 AS build`, `LABEL org.opencontainers.image.source=https://github.com/a/b`, `FROM alpine:3.20`),
		fires(`FROM alpine:3.20`, `LABEL org.opencontainers.image.source=https://github.com/a/b`).with(func(in *Input) {
			in.RequiredLabels = []string{"org.opencontainers.image.source", "org.opencontainers.image.revision"}
		}),
		passes(`FROM alpine:3.20`, `LABEL org.opencontainers.image.source="https://github.com/a/b"`),
		passes(`FROM alpine:3.20 AS base`, `LABEL org.opencontainers.image.source=https://github.com/a/b`, `FROM base`),
		passes(`FROM alpine:3.20`).with(func(in *Input) {
			in.Labels = map[string]string{"org.opencontainers.image.source": "https://github.com/a/b"}
		}),
		passes(`FROM alpine:3.20`).with(func(in *Input) { in.RequiredLabels = []string{} }),
	},
	"label-format": {
		fires(`FROM alpine:3.20`, `LABEL org.opencontainers.image.source="github.com/acme/api"`),
		fires(`FROM alpine:3.20`, `LABEL org.opencontainers.image.created="yesterday"`),
		fires(`FROM alpine:3.20`, `LABEL org.opencontainers.image.revision=main`),
		fires(`FROM alpine:3.20`, `LABEL org.opencontainers.image.licenses="Apache 2"`),
		fires(`FROM alpine:3.20`).with(func(in *Input) { in.Labels = map[string]string{"org.opencontainers.image.url": "not a url"} }),
		passes(`FROM alpine:3.20`, `LABEL org.opencontainers.image.source="https://github.com/acme/api" org.opencontainers.image.licenses="MIT OR Apache-2.0"`),
		passes(`FROM alpine:3.20`, `LABEL org.opencontainers.image.created="2024-05-01T12:00:00Z" org.opencontainers.image.revision=0123456789abcdef0123456789abcdef01234567`),
		passes(`FROM alpine:3.20`, `ARG REV`, `LABEL org.opencontainers.image.revision=$REV`),
		passes(`FROM alpine:3.20`, `LABEL org.opencontainers.image.licenses="(MIT AND BSD-3-Clause) OR GPL-2.0-or-later WITH Classpath-exception-2.0"`),
		passes(`FROM alpine:3.20 AS build`, `LABEL org.opencontainers.image.source=nope`, `FROM alpine:3.20`),
	},
	"maintainer": {
		fires(`FROM alpine:3.20`, `MAINTAINER ops@example.com`),
		fires(`FROM alpine:3.20 AS build`, `MAINTAINER a`, `FROM alpine:3.20`),
		fires(`FROM alpine:3.20`, `MAINTAINER "Ops Team <ops@example.com>"`),
		passes(`FROM alpine:3.20`, `LABEL org.opencontainers.image.authors="ops@example.com"`),
		passes(`FROM alpine:3.20`, `LABEL maintainer="ops@example.com"`),
		passes(`FROM alpine:3.20`),
	},
})

func TestLabelRules(t *testing.T) { runTables(t, labelTables) }

func TestValidSPDX(t *testing.T) {
	for expr, want := range map[string]bool{
		"MIT": true, "Apache-2.0": true, "MIT OR Apache-2.0": true, "(MIT)": true, "GPL-2.0+": true,
		"LicenseRef-Proprietary": true, "Apache 2": false, "MIT License": false, "MIT OR": false, "(MIT": false, "": false,
	} {
		if got := validSPDX(expr); got != want {
			t.Errorf("validSPDX(%q) = %v, want %v", expr, got, want)
		}
	}
}
