package policy

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestEveryRuleHasATable(t *testing.T) {
	for _, r := range catalog {
		if r.check == nil {
			continue
		}
		nFire, nPass := 0, 0
		for _, c := range tables[r.id] {
			if c.fire {
				nFire++
			} else {
				nPass++
			}
		}
		if nFire < 3 || nPass < 3 {
			t.Errorf("rule %s: table has %d firing and %d non-firing cases, want at least 3 of each", r.id, nFire, nPass)
		}
	}
}

func TestCatalogMatchesRulesMD(t *testing.T) {
	if len(catalogOrder) != len(catalog) {
		t.Fatalf("catalog has %d rules, catalogOrder %d", len(catalog), len(catalogOrder))
	}
	for i, r := range Rules() {
		if r.ID != catalogOrder[i] {
			t.Errorf("Rules()[%d] = %s, want %s", i, r.ID, catalogOrder[i])
		}
		if !slices.Contains(ChecklistKeys(), r.Checklist) {
			t.Errorf("rule %s: unknown checklist key %q", r.ID, r.Checklist)
		}
		if r.Summary == "" || r.Bad == "" || r.Good == "" {
			t.Errorf("rule %s: summary, bad and good snippets are required", r.ID)
		}
		if byID[r.ID].scope == ScopeDockerfile && byID[r.ID].check == nil {
			t.Errorf("rule %s has no check", r.ID)
		}
		if byID[r.ID].scope == ScopeDockerfile && byID[r.ID].fix == "" {
			t.Errorf("rule %s has no fix", r.ID)
		}
	}
	// Aliases named in RULES.md that several rules share.
	for alias, want := range map[string][]string{
		"DL3064": {"secret-arg", "secret-env"}, "DS-0031": {"secret-env", "secret-in-run"},
		"CKV2_DOCKER_9": {"tls-verify-disabled"}, "ds002": {"user-root"}, "AVD-DS-0002": {"user-root"}, "DS2": {"user-root"},
	} {
		var got []string
		for _, r := range resolveID(alias) {
			got = append(got, r.id)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("alias %s resolves to %v, want %v", alias, got, want)
		}
	}
}

// Each rule's documented bad snippet fires it and its good snippet does not.
func TestRuleSnippets(t *testing.T) {
	for _, r := range catalog {
		if r.scope != ScopeDockerfile {
			continue
		}
		bad, good := tc{df: r.bad, fire: true}, tc{df: r.good}
		switch r.id {
		case "dockerignore-missing", "copy-context-leak":
			bad.mod = noIgnore
		case "dockerignore-incomplete":
			bad.mod = ignoreFile("dist\n")
			good.mod = ignoreFile(".git\n.env*\nnode_modules\ndist\n")
		case "trusted-registry":
			bad.mod, good.mod = trust("docker.io/library"), trust("docker.io/library")
		}
		for _, c := range []tc{bad, good} {
			if got := hasActive(evalCase(t, c), r.id); got != c.fire {
				t.Errorf("rule %s: snippet fired=%v, want %v:\n%s", r.id, got, c.fire, c.df)
			}
		}
	}
}

func findingsOf(r *Report, rule string) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

// The multi-stage traps of issue 4, item 3.
func TestMultiStageTraps(t *testing.T) {
	t.Run("root only in a builder stage passes", func(t *testing.T) {
		r := evalCase(t, passes(`FROM golang:1.22 AS build`, `USER root`, `RUN go build -o /x .`, `FROM scratch`, `COPY --from=build /x /x`, `USER 65532`))
		if hasActive(r, "user-root") {
			t.Error("user-root fired")
		}
	})
	t.Run("final stage without USER fails even when a builder has one", func(t *testing.T) {
		r := evalCase(t, passes(`FROM golang:1.22 AS build`, `USER 10001`, `FROM alpine:3.20`, `COPY --from=build /x /x`))
		f := findingsOf(r, "user-root")
		if len(f) != 1 || f[0].Line != 3 || f[0].Stage != "1" {
			t.Errorf("user-root = %+v, want one at the final FROM (line 3)", f)
		}
	})
	t.Run("HEALTHCHECK only in a builder stage fails", func(t *testing.T) {
		r := evalCase(t, passes(`FROM node:20-alpine AS build`, `HEALTHCHECK CMD true`, `FROM node:20-alpine AS prod`, `USER 10001`))
		f := findingsOf(r, "healthcheck-missing")
		if len(f) != 1 || f[0].Line != 3 || f[0].Severity != "medium" || !strings.Contains(f[0].Message, "line 2") {
			t.Errorf("healthcheck-missing = %+v", f)
		}
	})
	t.Run("FROM ${BASE} with ARG BASE=python:latest is from-latest", func(t *testing.T) {
		r := evalCase(t, passes(`ARG BASE=python:latest`, `FROM ${BASE}`, `USER 10001`))
		f := findingsOf(r, "from-latest")
		if len(f) != 1 || f[0].Line != 2 || !strings.Contains(f[0].Message, "python:latest") {
			t.Errorf("from-latest = %+v", f)
		}
	})
	t.Run("COPY --from=<stage alias> is never an image", func(t *testing.T) {
		r := evalCase(t, passes(`FROM golang:1.22`+dg+` AS builder`, `FROM scratch`, `COPY --from=builder /x /x`, `COPY --from=BUILDER /y /y`, `USER 1`))
		for _, rule := range []string{"from-latest", "from-digest", "trusted-registry"} {
			if len(findingsOf(r, rule)) != 0 {
				t.Errorf("%s fired on a stage alias: %+v", rule, findingsOf(r, rule))
			}
		}
	})
	t.Run("CMD exec node x.js passes exec-form", func(t *testing.T) {
		r := evalCase(t, passes(`FROM node:20-alpine`, `USER 10001`, `CMD exec node x.js`))
		if hasActive(r, "exec-form") {
			t.Error("exec-form fired")
		}
	})
}

func TestPragmas(t *testing.T) {
	cases := []struct {
		name    string
		df      string
		rule    string
		ignored bool
	}{
		{"line", "FROM alpine:3.20\n# prodimage:ignore=package-pin -- tini has no stable version here\nRUN apk add --no-cache tini\n", "package-pin", true},
		{"line through alias", "FROM alpine:3.20\n# hadolint ignore=DL3018,DL3019\nRUN apk add tini\n", "package-pin", true},
		{"line, several comments above", "FROM alpine:3.20\n# hadolint ignore=DL3018\n# another comment\nRUN apk add tini\n", "package-pin", true},
		{"blank line breaks it", "FROM alpine:3.20\n# hadolint ignore=DL3018\n\nRUN apk add tini\n", "package-pin", false},
		{"only the next instruction", "FROM alpine:3.20\n# prodimage:ignore=package-pin\nRUN apk add tini\nRUN apk add curl\n", "package-pin", false},
		{"missing anchored at FROM", "# trivy:ignore:DS-0002\nFROM alpine:3.20\n", "user-root", true},
		{"trivy AVD form", "# trivy:ignore:AVD-DS-0026\nFROM alpine:3.20\n", "healthcheck-missing", true},
		{"stage", "FROM alpine:3.20 AS build\n# prodimage:ignore-stage=package-pin\nRUN apk add a\nRUN apk add b\nFROM build\nRUN apk add c\n", "package-pin", false},
		{"stage above FROM", "# prodimage:ignore-stage=package-pin\nFROM alpine:3.20\nRUN apk add a\nRUN apk add b\n", "package-pin", true},
		{"file", "FROM alpine:3.20\nRUN apk add a\n# prodimage:ignore-file=package-pin,from-digest\nFROM alpine:3.20\nRUN apk add b\n", "package-pin", true},
		{"hadolint global", "# hadolint global ignore=DL3018\nFROM alpine:3.20\nRUN apk add a\n", "package-pin", true},
		{"other rule untouched", "FROM alpine:3.20\n# prodimage:ignore=package-pin\nRUN apk add tini\n", "apk-no-cache", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := evalCase(t, tc{df: c.df})
			fs := findingsOf(r, c.rule)
			if len(fs) == 0 {
				t.Fatalf("%s did not fire at all", c.rule)
			}
			all := true
			for _, f := range fs {
				all = all && f.Ignored
			}
			if all != c.ignored {
				t.Errorf("%s all ignored = %v, want %v: %+v", c.rule, all, c.ignored, fs)
			}
		})
	}
	t.Run("stage pragma covers only its stage", func(t *testing.T) {
		r := evalCase(t, tc{df: "FROM alpine:3.20 AS build\n# prodimage:ignore-stage=package-pin\nRUN apk add a\nFROM build\nRUN apk add c\n"})
		for _, f := range findingsOf(r, "package-pin") {
			if f.Ignored != (f.Line == 3) {
				t.Errorf("finding at line %d ignored=%v", f.Line, f.Ignored)
			}
		}
	})
	t.Run("allow_inline_ignores=false", func(t *testing.T) {
		c := tc{df: "FROM alpine:3.20\n# prodimage:ignore=package-pin\nRUN apk add tini\n"}.with(func(in *Input) { in.AllowInlineIgnores = false })
		if f := findingsOf(evalCase(t, c), "package-pin"); len(f) != 1 || f[0].Ignored {
			t.Errorf("pragma honoured with inline ignores off: %+v", f)
		}
	})
}

func TestConfiguration(t *testing.T) {
	df := []byte("FROM alpine:3.20\nRUN apk add tini\n")
	_, err := Evaluate(Input{Dockerfile: df, Ignore: []string{"user-rot"}})
	if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), `"user-rot"`) || !strings.Contains(err.Error(), `"user-root"`) {
		t.Errorf("unknown ignore: %v", err)
	}
	_, err = Evaluate(Input{Dockerfile: df, SeverityOverrides: map[string]Severity{"oci-label": High}})
	if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), `"oci-labels"`) {
		t.Errorf("unknown override: %v", err)
	}
	_, err = Evaluate(Input{Dockerfile: df, Target: "prod"})
	if !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("unknown target: %v", err)
	}

	r, err := Evaluate(Input{Dockerfile: df, Ignore: []string{"DL3002", "healthcheck-missing"},
		SeverityOverrides: map[string]Severity{"DL3018": Critical, "oci-labels": Low}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Findings {
		switch f.Rule {
		case "user-root", "healthcheck-missing":
			if !f.Ignored {
				t.Errorf("%s not ignored", f.Rule)
			}
		case "package-pin":
			if f.Severity != "critical" {
				t.Errorf("override by alias: package-pin is %s", f.Severity)
			}
		case "oci-labels":
			if f.Severity != "low" {
				t.Errorf("override: oci-labels is %s", f.Severity)
			}
		}
	}
	if r.Checklist["non_root_user"] != StatusPass || r.Checklist["oci_labels"] != StatusWarn || r.Checklist["pinned_base_images"] != StatusFail {
		t.Errorf("checklist = %v", r.Checklist)
	}
	if r.Counts["critical"] != 1 || len(r.Counts) != 5 {
		t.Errorf("counts = %v", r.Counts)
	}
}

func TestFailOn(t *testing.T) {
	// Only a low finding is left once the others are fixed.
	df := "FROM alpine:3.20" + dg + "\nRUN mkdir -p /tmp/app && chown 10001 /tmp/app\nLABEL org.opencontainers.image.source=https://github.com/a/b\nUSER app\nHEALTHCHECK CMD wget -q --spider http://127.0.0.1/\nENTRYPOINT [\"/app\"]\n"
	for _, c := range []struct {
		failOn Severity
		passed bool
	}{{0, true}, {Medium, true}, {Low, false}, {Info, false}, {High, true}} {
		r := evalCase(t, tc{df: df}.with(func(in *Input) { in.FailOn = c.failOn }))
		if r.Passed != c.passed {
			t.Errorf("fail_on=%v: passed=%v, want %v; active: %+v", c.failOn, r.Passed, c.passed, r.Active())
		}
	}
}

func TestChecklistHasEveryKey(t *testing.T) {
	for _, df := range []string{"FROM alpine:3.20\n", "# no instructions\n", "garbage\n"} {
		r := evalCase(t, tc{df: df})
		if len(r.Checklist) != len(ChecklistKeys()) {
			t.Errorf("%q: checklist has %d keys", df, len(r.Checklist))
		}
		for _, k := range ChecklistKeys() {
			if s := r.Checklist[k]; s != StatusPass && s != StatusWarn && s != StatusFail && s != StatusNotEvaluated {
				t.Errorf("%q: %s = %q", df, k, s)
			}
		}
	}
	r := evalCase(t, tc{df: "# nothing here\n"})
	if r.Checklist["non_root_user"] != StatusNotEvaluated || r.Checklist["hygiene"] != StatusFail {
		t.Errorf("no stages: %v", r.Checklist)
	}
}

func TestParseErrorsDoNotStopChecks(t *testing.T) {
	r := evalCase(t, tc{df: "FROM alpine:3.20\nFROBNICATE now\nRUN --frobnicate=1 curl -k https://x | sh\nUSER root\n"})
	for _, want := range []string{"parse-error", "tls-verify-disabled", "curl-pipe-shell", "user-root"} {
		if !hasActive(r, want) {
			t.Errorf("%s missing: %+v", want, r.Findings)
		}
	}
	if n := len(findingsOf(r, "parse-error")); n != 2 {
		t.Errorf("parse errors = %d, want 2 (unknown instruction, unknown flag)", n)
	}
}

func TestFindingsOrderedByLine(t *testing.T) {
	r := evalCase(t, tc{df: "# syntax=docker/dockerfile:1\nFROM node\nRUN apk add x\nCMD npm start\n"})
	if !slices.IsSortedFunc(r.Findings, func(a, b Finding) int { return a.Line - b.Line }) {
		t.Errorf("findings not ordered by line: %+v", r.Findings)
	}
	for _, f := range r.Findings {
		if f.Fix == "" || f.Message == "" || f.Checklist == "" || f.File != "Dockerfile" {
			t.Errorf("incomplete finding: %+v", f)
		}
	}
}

func TestSARIF(t *testing.T) {
	r := evalCase(t, tc{df: "FROM node\nRUN apk add x\n# prodimage:ignore=cmd\nCMD npm start\n"}.with(func(in *Input) { in.Ignore = []string{"package-pin"} }))
	b, err := r.SARIF()
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Schema  string `json:"$schema"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID   string `json:"id"`
						Help struct {
							Text string `json:"text"`
						} `json:"help"`
						Default struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Locations []struct {
					Physical struct {
						Artifact struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region *struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || log.Schema == "" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "prodimage" {
		t.Fatalf("header: %s", b)
	}
	run := log.Runs[0]
	if len(run.Results) != len(r.Active()) {
		t.Errorf("results = %d, active findings = %d", len(run.Results), len(r.Active()))
	}
	for _, res := range run.Results {
		if res.RuleID == "package-pin" {
			t.Errorf("ignored finding in SARIF")
		}
		rl := run.Tool.Driver.Rules[res.RuleIndex]
		if rl.ID != res.RuleID || rl.Help.Text == "" || rl.Default.Level == "" {
			t.Errorf("result %s points at rule %+v", res.RuleID, rl)
		}
		if res.Locations[0].Physical.Artifact.URI != "Dockerfile" || res.Locations[0].Physical.Region == nil {
			t.Errorf("location: %+v", res.Locations)
		}
		if res.Level != "error" && res.Level != "warning" && res.Level != "note" {
			t.Errorf("level %q", res.Level)
		}
	}
}

func TestParseSeverity(t *testing.T) {
	for _, s := range []string{"info", "LOW", " Medium ", "high", "critical"} {
		v, err := ParseSeverity(s)
		if err != nil || !strings.EqualFold(v.String(), strings.TrimSpace(s)) {
			t.Errorf("ParseSeverity(%q) = %v, %v", s, v, err)
		}
	}
	if _, err := ParseSeverity("severe"); err == nil {
		t.Error("ParseSeverity(severe) succeeded")
	}
	if !(Info < Low && Low < Medium && Medium < High && High < Critical) {
		t.Error("severities out of order")
	}
}
