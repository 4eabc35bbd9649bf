package policy

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzPolicy feeds arbitrary Dockerfiles, .dockerignore files and targets
// to Evaluate: it must never panic or hang, and every report must hold
// together (all checklist keys, valid JSON and SARIF, lines in range).
func FuzzPolicy(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/brief/*.Dockerfile")
	examples, _ := filepath.Glob("../../examples/production/*/Dockerfile")
	ignore, _ := os.ReadFile("testdata/brief/dockerignore")
	for _, p := range append(seeds, examples...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, ignore, "")
		}
	}
	for _, cases := range tables {
		for _, c := range cases {
			f.Add([]byte(c.df), []byte(completeIgnore), "")
		}
	}
	for _, r := range catalog {
		f.Add([]byte(r.bad), []byte(nil), "")
	}
	f.Add([]byte("FROM a AS b\nFROM b AS c\nCOPY --from=c /x /y\n"), []byte("*\n!x"), "b")
	f.Add([]byte("# escape=`\nFROM x\nRUN <<A <<B\na\nA\nb\nB\nONBUILD RUN <<C\nc\nC\n"), []byte(nil), "")

	// The targets "image" and "image-only" (no Dockerfile) turn the second
	// input into an image's facts, "vuln" into a vulnerability report.
	imageText := "root\nNPM_TOKEN=abc\nRUN |1 NPM_TOKEN=abc /bin/sh -c npm ci # buildkit\n/bin/sh -c ls\nCMD-SHELL true\n" +
		"org.opencontainers.image.base.name=node:20\nadmin:x:0:0::/:/bin/sh\n"
	f.Add([]byte("FROM alpine:3.20\nUSER 10001\n"), []byte(imageText), "image")
	f.Add([]byte(nil), []byte(imageText), "image-only")
	for _, name := range []string{"trivy.json", "grype.json", "trivy.sarif"} {
		if b, err := os.ReadFile(filepath.Join("testdata", "vuln", name)); err == nil {
			f.Add([]byte("FROM alpine:3.20\n"), b, "vuln")
		}
	}

	f.Fuzz(func(t *testing.T, df, ignore []byte, target string) {
		in := Input{Dockerfile: df, Dockerignore: ignore, Target: target, AllowInlineIgnores: true, FailOn: Low}
		switch target {
		case "image-only":
			in.Dockerfile = nil
			fallthrough
		case "image":
			in.Target, in.Dockerignore = "", nil
			in.Image = fuzzImage(ignore)
			in.MaxImageSizeMB = len(df) % 5
		case "vuln":
			in.Target, in.Dockerignore = "", nil
			in.VulnReport = ignore
			in.MaxVulnerabilities = map[Severity]int{Critical: 0, High: 1}
			in.IgnoreVulnerabilities = []VulnIgnore{{ID: "CVE-2024-45491"}}
		}
		r, err := Evaluate(in)
		if err != nil {
			if !errors.Is(err, ErrInvalidConfig) || target == "" {
				t.Fatalf("Evaluate: %v", err)
			}
			return
		}
		if len(r.Checklist) != len(ChecklistKeys()) {
			t.Fatalf("checklist has %d keys", len(r.Checklist))
		}
		lines := strings.Count(string(df), "\n") + 1
		for _, fd := range r.Findings {
			if fd.Line < 0 || fd.Line > lines+1 || byID[fd.Rule] == nil || fd.Message == "" || fd.Fix == "" || fd.File == "" {
				t.Fatalf("bad finding %+v (file has %d lines)", fd, lines)
			}
		}
		for _, render := range []func() ([]byte, error){r.JSON, r.SARIF} {
			b, err := render()
			if err != nil || !json.Valid(b) {
				t.Fatalf("render: %v", err)
			}
		}
	})
}

// fuzzImage reads arbitrary bytes as the facts of a two-platform image:
// every line is an env entry, a history entry, a label, a setuid file and a
// secret file; the first lines are the user, entrypoint, cmd and
// healthcheck; the whole is /etc/passwd.
func fuzzImage(b []byte) *ImageFacts {
	lines := strings.Split(string(b), "\n")
	line := func(i int) string {
		if i < len(lines) {
			return lines[i]
		}
		return ""
	}
	p := PlatformImage{
		Platform: "linux/amd64", Digest: "sha256:" + line(0), User: line(0), Env: lines, History: lines,
		Labels: map[string]string{}, Entrypoint: strings.Fields(line(1)), Cmd: strings.Fields(line(2)),
		Healthcheck: strings.Fields(line(3)), CompressedSize: int64(len(b)) * 1_000_000, SetuidFiles: lines,
		Passwd: b, HasShell: len(b)%2 == 0,
	}
	for i, l := range lines {
		k, v, _ := strings.Cut(l, "=")
		p.Labels[k] = v
		p.SecretFiles = append(p.SecretFiles, ImageSecretFile{Path: l, Layer: i, Kind: line(i + 1), Deleted: i%2 == 1, CreatedBy: l})
	}
	q := p
	q.Platform = ""
	return &ImageFacts{Ref: line(4), Platforms: []PlatformImage{p, q}}
}
