package dockerfile

import (
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

func parse(t *testing.T, src string, args map[string]string) *File {
	t.Helper()
	return Parse([]byte(src), Options{BuildArgs: args})
}

func stageIDs(ss []*Stage) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.ID())
	}
	return out
}

func TestStagesAndRuntimeChain(t *testing.T) {
	src := `# syntax=docker/dockerfile:1
FROM node:20-alpine AS base
WORKDIR /app
FROM base AS deps
RUN npm ci
FROM deps AS build
RUN npm run build
FROM golang:1.22 AS tools
FROM base AS production
COPY --from=build /app/dist ./dist
COPY --from=1 /app/node_modules ./node_modules
CMD ["node", "dist/server.js"]
`
	f := parse(t, src, nil)
	if len(f.Errors) != 0 {
		t.Fatalf("errors: %v", f.Errors)
	}
	if f.Syntax == nil || f.Syntax.Value != "docker/dockerfile:1" || f.Syntax.Line != 1 {
		t.Fatalf("syntax = %+v", f.Syntax)
	}
	target, err := f.Target("")
	if err != nil || target.Name != "production" {
		t.Fatalf("target = %v, %v", target, err)
	}
	if got := stageIDs(f.RuntimeChain(target)); !slices.Equal(got, []string{"base", "production"}) {
		t.Errorf("runtime chain = %v", got)
	}
	if got := stageIDs(f.Dependencies(target)); !slices.Equal(got, []string{"base", "deps", "build", "production"}) {
		t.Errorf("dependencies = %v", got)
	}
	var ext []string
	for _, r := range f.ExternalImages(target) {
		ext = append(ext, r.Resolved)
	}
	if !slices.Equal(ext, []string{"node:20-alpine"}) {
		t.Errorf("external images = %v (golang:1.22 is not needed by production)", ext)
	}
	prod := f.Stages[4]
	if prod.Instructions[0].FromStage != f.Stages[2] || prod.Instructions[1].FromStage != f.Stages[1] {
		t.Errorf("COPY --from not linked to stages")
	}
	if prod.Instructions[0].Workdir != "/app" {
		t.Errorf("WORKDIR not inherited from base: %q", prod.Instructions[0].Workdir)
	}
}

func TestCopyFromImageAndMountFrom(t *testing.T) {
	src := `FROM alpine:3.20 AS builder
FROM scratch
COPY --from=builder /etc/passwd /etc/passwd
COPY --from=busybox:1.36 /bin/busybox /busybox
COPY --from=Builder /etc/group /etc/group
RUN --mount=from=ghcr.io/acme/tools:1,source=/t,target=/t --mount=type=bind,from=builder,target=/b true
`
	f := parse(t, src, nil)
	var kinds []string
	for _, r := range f.Refs {
		kinds = append(kinds, string(r.Kind)+" "+r.Resolved)
	}
	want := []string{"from alpine:3.20", "from scratch", "copy-from busybox:1.36", "mount-from ghcr.io/acme/tools:1"}
	if !slices.Equal(kinds, want) {
		t.Fatalf("refs = %q, want %q", kinds, want)
	}
	ins := f.Stages[1].Instructions
	if ins[0].FromStage == nil || ins[2].FromStage == nil {
		t.Errorf("stage aliases must never be images (case-insensitive, as BuildKit)")
	}
	if len(ins[3].MountStages) != 1 || len(ins[3].MountImages) != 1 {
		t.Errorf("mounts: stages=%d images=%d", len(ins[3].MountStages), len(ins[3].MountImages))
	}
	ext := f.ExternalImages(f.Stages[1])
	if len(ext) != 3 {
		t.Errorf("external images of the target: %d, want 3 (alpine, busybox, tools)", len(ext))
	}
}

func TestArgScoping(t *testing.T) {
	src := `ARG BASE=python:latest
ARG TAG
ARG REG=docker.io
FROM ${BASE} AS a
FROM ${REG}/library/node:${TAG} AS b
FROM alpine:3.20 AS c
ARG BASE
ARG LOCAL=x
USER ${LOCAL}
FROM alpine:3.20 AS d
USER ${LOCAL:-fallback}
FROM ${MISSING:-busybox:1.36}
`
	f := parse(t, src, nil)
	if got := f.Stages[0].Base; got != "python:latest" {
		t.Errorf("FROM ${BASE} = %q", got)
	}
	if r := f.Stages[1].Image; len(r.Unresolved) != 1 || r.Unresolved[0] != "TAG" || r.Resolved != "docker.io/library/node:${TAG}" {
		t.Errorf("unresolved ref = %+v", r)
	}
	c := f.Stages[2]
	if v, _ := c.Instructions[0].Vars.Get("BASE"); v != "" {
		t.Errorf("ARG BASE before declaration visible: %q", v)
	}
	if v, _ := c.Instructions[2].Vars.Get("BASE"); v != "python:latest" {
		t.Errorf("ARG BASE redeclared in stage = %q, want global default", v)
	}
	if u, _ := c.Instructions[2].Expand("${LOCAL}"); u != "x" {
		t.Errorf("stage ARG = %q", u)
	}
	if u, un := f.Stages[3].Instructions[0].Expand("${LOCAL:-fallback}"); u != "fallback" || len(un) != 0 {
		t.Errorf("stage ARGs must not leak into the next stage: %q %v", u, un)
	}
	if got := f.Stages[4].Base; got != "busybox:1.36" {
		t.Errorf("default form = %q", got)
	}

	f = parse(t, src, map[string]string{"BASE": "python:3.12-slim", "TAG": "20"})
	if f.Stages[0].Base != "python:3.12-slim" || f.Stages[1].Base != "docker.io/library/node:20" {
		t.Errorf("build args not applied: %q %q", f.Stages[0].Base, f.Stages[1].Base)
	}
}

func TestFromStageThroughArg(t *testing.T) {
	f := parse(t, "ARG RUNTIME=base\nFROM alpine:3.20 AS base\nFROM ${RUNTIME}\nUSER 1000\n", nil)
	if f.Stages[1].Parent != f.Stages[0] || f.Stages[1].Image != nil {
		t.Fatalf("FROM ${RUNTIME} must resolve to the stage alias")
	}
}

func TestEnvCarriesIntoChildStage(t *testing.T) {
	f := parse(t, "FROM alpine:3.20 AS a\nARG A=1\nENV E=2\nSHELL [\"/bin/bash\", \"-c\"]\nFROM a\nRUN x\n", nil)
	run := f.Stages[1].Instructions[0]
	if _, ok := run.Vars.Get("A"); ok {
		t.Errorf("ARG carried into child stage")
	}
	if v, _ := run.Vars.Get("E"); v != "2" {
		t.Errorf("ENV not carried into child stage")
	}
	if run.Shell[0] != "/bin/bash" {
		t.Errorf("SHELL not carried: %v", run.Shell)
	}
}

func TestNeverAborts(t *testing.T) {
	cases := []struct {
		name      string
		src       string
		errLine   int
		wantStage int
		check     func(t *testing.T, f *File)
	}{
		{"unknown instruction", "FROM alpine:3.20\nFROBNICATE x\nUSER 1000\n", 2, 1, func(t *testing.T, f *File) {
			if n := len(f.Stages[0].Instructions); n != 2 {
				t.Errorf("instructions = %d", n)
			}
		}},
		{"unknown flag", "FROM alpine:3.20\nRUN --frobnicate=1 echo hi\n", 2, 1, func(t *testing.T, f *File) {
			if _, ok := f.Stages[0].Instructions[0].Command.(*instructions.RunCommand); !ok {
				t.Errorf("RUN with an unknown flag should still be parsed")
			}
		}},
		{"unterminated heredoc", "FROM alpine:3.20 AS a\nUSER 1000\nFROM a\nRUN <<EOF\necho hi\n", 4, 2, nil},
		{"bad FROM", "FROM a b c d\nUSER root\nFROM alpine:3.20\n", 1, 2, func(t *testing.T, f *File) {
			if len(f.Stages[0].Instructions) != 1 {
				t.Errorf("USER must stay in the broken stage")
			}
		}},
		{"instruction before FROM", "RUN echo\nFROM alpine:3.20\n", 1, 1, nil},
		{"bad mount", "FROM alpine:3.20\nRUN --mount=type=frob echo\n", 2, 1, nil},
		{"variable --from", "FROM alpine:3.20\nCOPY --from=${X} /a /b\n", 2, 1, nil},
		{"empty", "# nothing\n", 0, 0, nil},
		{"json error", "FROM alpine:3.20\nCMD [\"a\",\nUSER 1000\n", 0, 1, nil},
		{"onbuild from", "FROM alpine:3.20\nONBUILD FROM x\n", 2, 1, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := parse(t, tc.src, nil)
			if tc.errLine > 0 || tc.name == "empty" {
				if len(f.Errors) == 0 || f.Errors[0].Line != tc.errLine {
					t.Errorf("errors = %+v, want one at line %d", f.Errors, tc.errLine)
				}
			}
			if len(f.Stages) != tc.wantStage {
				t.Errorf("stages = %d, want %d", len(f.Stages), tc.wantStage)
			}
			if tc.check != nil {
				tc.check(t, f)
			}
		})
	}
}

func TestHeredocEscapeContinuation(t *testing.T) {
	src := "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo a `\n  && echo b\nCOPY <<EOF /app/config\nkey=value\nEOF\nRUN <<EOT bash\nset -e\necho hi\nEOT\nUSER ContainerUser\n"
	f := parse(t, src, nil)
	if len(f.Errors) != 0 {
		t.Fatalf("errors: %v", f.Errors)
	}
	if f.Escape != '`' {
		t.Errorf("escape = %q", f.Escape)
	}
	ins := f.Stages[0].Instructions
	if ins[0].Line != 3 || ins[0].EndLine != 4 {
		t.Errorf("continuation lines = %d-%d", ins[0].Line, ins[0].EndLine)
	}
	if c := ins[1].Command.(*instructions.CopyCommand); len(c.SourceContents) != 1 {
		t.Errorf("COPY heredoc not parsed")
	}
	if r := ins[2].Command.(*instructions.RunCommand); len(r.Files) != 1 || !strings.Contains(r.Files[0].Data, "echo hi") {
		t.Errorf("RUN heredoc not parsed")
	}
	if ins[3].Line != 12 {
		t.Errorf("USER line = %d, want 12", ins[3].Line)
	}
}

func TestFlagsParsed(t *testing.T) {
	src := "FROM --platform=$BUILDPLATFORM golang:1.22 AS b\nFROM alpine:3.20\nCOPY --link --chown=10001:10001 --chmod=0755 --exclude=*.md --from=b /out /app\nRUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=npm,target=/root/.npmrc --network=none true\n"
	f := parse(t, src, nil)
	if len(f.Errors) != 0 {
		t.Fatalf("errors: %v", f.Errors)
	}
	c := f.Stages[1].Instructions[0].Command.(*instructions.CopyCommand)
	if !c.Link || c.Chown != "10001:10001" || c.From != "b" || len(c.ExcludePatterns) != 1 {
		t.Errorf("COPY flags = %+v", c)
	}
	m := f.Stages[1].Instructions[1].Mounts
	if len(m) != 2 || m[0].Type != instructions.MountTypeCache || m[1].Type != instructions.MountTypeSecret {
		t.Errorf("mounts = %+v", m)
	}
	if f.Stages[0].Platform != "$BUILDPLATFORM" {
		t.Errorf("platform = %q", f.Stages[0].Platform)
	}
}

func TestOnBuild(t *testing.T) {
	f := parse(t, "FROM alpine:3.20\nONBUILD COPY --from=node:20 /x /y\nONBUILD RUN echo hi\n", nil)
	s := f.Stages[0]
	if len(s.OnBuild) != 2 || !s.OnBuild[0].OnBuild || s.OnBuild[1].Keyword != "RUN" || s.OnBuild[1].Line != 3 {
		t.Fatalf("onbuild = %+v", s.OnBuild)
	}
	if len(f.Refs) != 2 || f.Refs[1].Kind != RefCopyFrom {
		t.Errorf("ONBUILD COPY --from image not recorded: %+v", f.Refs)
	}
	if len(f.ExternalImages(s)) != 1 {
		t.Errorf("ONBUILD images are pulled by children, not by this build")
	}
}

func TestTargetNotFound(t *testing.T) {
	f := parse(t, "FROM alpine:3.20 AS a\nFROM a AS b\n", nil)
	if _, err := f.Target("prod"); err == nil || !strings.Contains(err.Error(), "a, b") {
		t.Errorf("err = %v", err)
	}
	if s, err := f.Target("A"); err != nil || s.Name != "a" {
		t.Errorf("target by alias is case-insensitive: %v %v", s, err)
	}
}

func TestParseReference(t *testing.T) {
	cases := []struct{ in, name, tag, digest string }{
		{"node", "docker.io/library/node", "", ""},
		{"node:20-alpine", "docker.io/library/node", "20-alpine", ""},
		{"bitnami/redis:7", "docker.io/bitnami/redis", "7", ""},
		{"gcr.io/distroless/static-debian12:nonroot", "gcr.io/distroless/static-debian12", "nonroot", ""},
		{"localhost:5000/app", "localhost:5000/app", "", ""},
		{"registry.example.com:5000/team/app:1.2@sha256:abc", "registry.example.com:5000/team/app", "1.2", "sha256:abc"},
		{"alpine@sha256:def", "docker.io/library/alpine", "", "sha256:def"},
	}
	for _, tc := range cases {
		r, ok := ParseReference(tc.in)
		if !ok || r.Name() != tc.name || r.Tag != tc.tag || r.Digest != tc.digest {
			t.Errorf("ParseReference(%q) = %+v %v, want %s %s %s", tc.in, r, ok, tc.name, tc.tag, tc.digest)
		}
	}
	if _, ok := ParseReference("${BASE}"); ok {
		t.Errorf("a reference holding a variable must not parse")
	}
}
