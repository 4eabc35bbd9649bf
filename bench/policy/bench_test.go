package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/prodimage/terraform-provider-prodimage/internal/policy"
)

// BenchmarkEvaluate reports the time per Dockerfile over the corpus; run it
// on one core with: go test -run '^$' -bench . -cpu 1 ./bench/policy/
func BenchmarkEvaluate(b *testing.B) {
	paths, _ := filepath.Glob("corpus/*.Dockerfile")
	if len(paths) == 0 {
		b.Skip("no corpus: go run ./bench/policy/gen")
	}
	var inputs []policy.Input
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, policy.Input{DockerfileName: filepath.Base(p), Dockerfile: src, Dockerignore: []byte(dockerignore), AllowInlineIgnores: true})
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := policy.Evaluate(inputs[i%len(inputs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// The corpus must parse with the engine: every file evaluates without error.
func TestCorpusEvaluates(t *testing.T) {
	paths, _ := filepath.Glob("corpus/*.Dockerfile")
	if len(paths) < 200 {
		t.Fatalf("corpus has %d files, want at least 200", len(paths))
	}
	for _, p := range paths {
		src, _ := os.ReadFile(p)
		if _, err := policy.Evaluate(policy.Input{Dockerfile: src}); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}
