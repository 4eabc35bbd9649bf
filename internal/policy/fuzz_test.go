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

	f.Fuzz(func(t *testing.T, df, ignore []byte, target string) {
		in := Input{Dockerfile: df, Dockerignore: ignore, Target: target, AllowInlineIgnores: true, FailOn: Low}
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
			if fd.Line < 0 || fd.Line > lines+1 || byID[fd.Rule] == nil || fd.Message == "" || fd.Fix == "" {
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
