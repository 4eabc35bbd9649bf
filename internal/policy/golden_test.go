package policy

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/brief/*.golden.json (never the hand-written .expected files)")

// The brief's Dockerfiles, verbatim. Each has a hand-written .expected list
// (justified line by line in testdata/brief/EXPECTED.md) of the active
// findings, "LINE RULE SEVERITY", and a golden report for everything else
// (messages, fixes, checklist), which -update rewrites.
func TestBriefDockerfiles(t *testing.T) {
	ignore, err := os.ReadFile("testdata/brief/dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("testdata/brief/*.Dockerfile")
	if len(files) < 6 {
		t.Fatalf("found %d brief Dockerfiles, want the six of the brief", len(files))
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Evaluate(Input{DockerfileName: name, Dockerfile: src, Dockerignore: ignore, AllowInlineIgnores: true})
			if err != nil {
				t.Fatal(err)
			}
			base := strings.TrimSuffix(path, ".Dockerfile")
			want, err := os.ReadFile(base + ".expected")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range r.Active() {
				got = append(got, fmt.Sprintf("%d %s %s", f.Line, f.Rule, f.Severity))
			}
			wantLines := strings.Split(strings.TrimSpace(string(want)), "\n")
			slices.Sort(got)
			slices.Sort(wantLines)
			if !slices.Equal(got, wantLines) {
				t.Errorf("active findings differ from %s.expected\n got: %q\nwant: %q", base, got, wantLines)
			}
			compareGolden(t, base+".golden.json", r)
		})
	}
}

func compareGolden(t *testing.T, path string, r *Report) {
	t.Helper()
	b, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, b, "", "  "); err != nil {
		t.Fatal(err)
	}
	pretty.WriteByte('\n')
	if *update {
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(want, pretty.Bytes()) {
		t.Errorf("report differs from %s (go test -run %s -update rewrites it):\n%s", path, t.Name(), pretty.String())
	}
}

// The production examples must pass with fail_on = "low" and no active
// finding at all, not even info.
func TestProductionExamples(t *testing.T) {
	dirs, _ := filepath.Glob("../../examples/production/*")
	var n int
	for _, dir := range dirs {
		src, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
		if err != nil {
			continue
		}
		n++
		t.Run(filepath.Base(dir), func(t *testing.T) {
			ignore, err := os.ReadFile(filepath.Join(dir, ".dockerignore"))
			if err != nil {
				t.Fatalf("example without .dockerignore: %v", err)
			}
			entries, _ := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			if bytes.Contains(src, []byte("# syntax=")) {
				t.Errorf("examples must not carry a # syntax= line")
			}
			r, err := Evaluate(Input{
				DockerfileName: "Dockerfile", Dockerfile: src, Dockerignore: ignore, ContextFiles: names,
				Target: "production", FailOn: Low, AllowInlineIgnores: true,
			})
			if err != nil {
				t.Fatal(err)
			}
			if !r.Passed || len(r.Findings) != 0 {
				t.Errorf("passed=%v, findings: %+v", r.Passed, r.Findings)
			}
			for k, v := range r.Checklist {
				if v != StatusPass && !(k == "vulnerability_scan" && v == StatusNotEvaluated) {
					t.Errorf("checklist %s = %s", k, v)
				}
			}
		})
	}
	if n < 3 {
		t.Fatalf("found %d examples, want node-typescript, go and python-fastapi", n)
	}
}
