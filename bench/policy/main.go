// Command policy measures prodimage_policy's engine on one core: files per
// second and per-file latency percentiles over the corpus in
// bench/policy/corpus (regenerate it with go run ./bench/policy/gen).
//
//	go run ./bench/policy [-corpus bench/policy/corpus] [-rounds 20]
//
// It sets GOMAXPROCS to 1 itself, so garbage collection shares the one core
// with evaluation, as it would in a provider process pinned to one CPU.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"github.com/prodimage/terraform-provider-prodimage/internal/policy"
)

// dockerignore is the brief's universal .dockerignore, given to every file.
const dockerignore = `.git
.gitignore
Dockerfile*
docker-compose*.yml
.dockerignore
.vscode
.idea
*.md
.github
coverage
.nyc_output
__pycache__
.pytest_cache
node_modules
dist
.env*
vendor
*.pyc
.venv
*.egg-info
.DS_Store
`

func main() {
	corpus := flag.String("corpus", "bench/policy/corpus", "directory of *.Dockerfile")
	rounds := flag.Int("rounds", 20, "passes over the corpus after one warm-up pass")
	flag.Parse()
	runtime.GOMAXPROCS(1)

	paths, _ := filepath.Glob(filepath.Join(*corpus, "*.Dockerfile"))
	if len(paths) == 0 {
		fmt.Fprintf(os.Stderr, "no Dockerfiles in %s (run go run ./bench/policy/gen)\n", *corpus)
		os.Exit(1)
	}
	inputs := make([]policy.Input, len(paths))
	var bytes, lines int
	for i, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		bytes += len(b)
		lines += countLines(b)
		inputs[i] = policy.Input{DockerfileName: filepath.Base(p), Dockerfile: b, Dockerignore: []byte(dockerignore), AllowInlineIgnores: true}
	}

	rulesSeen := map[string]bool{}
	findings := 0
	for _, in := range inputs { // warm-up, and what the corpus exercises
		r, err := policy.Evaluate(in)
		if err != nil {
			fmt.Fprintln(os.Stderr, in.DockerfileName, err)
			os.Exit(1)
		}
		findings += len(r.Findings)
		for _, f := range r.Findings {
			rulesSeen[f.Rule] = true
		}
	}

	lat := make([]time.Duration, 0, *rounds*len(inputs))
	var busy time.Duration
	for range *rounds {
		for _, in := range inputs {
			start := time.Now()
			if _, err := policy.Evaluate(in); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			d := time.Since(start)
			busy += d
			lat = append(lat, d)
		}
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(float64(len(lat))*p))] }

	fmt.Printf("corpus:      %d Dockerfiles, %d lines, %d bytes (%.1f lines/file)\n", len(inputs), lines, bytes, float64(lines)/float64(len(inputs)))
	fmt.Printf("exercised:   %d findings per pass, %d distinct rules fired\n", findings, len(rulesSeen))
	fmt.Printf("evaluations: %d (%d rounds), GOMAXPROCS=%d, %s\n", len(lat), *rounds, runtime.GOMAXPROCS(0), runtime.Version())
	fmt.Printf("throughput:  %.0f files/s\n", float64(len(lat))/busy.Seconds())
	fmt.Printf("latency:     p50 %s  p90 %s  p99 %s  max %s\n", round(pct(0.50)), round(pct(0.90)), round(pct(0.99)), round(lat[len(lat)-1]))
}

func countLines(b []byte) int {
	n := 0
	for _, c := range b {
		if c == '\n' {
			n++
		}
	}
	return n
}

func round(d time.Duration) time.Duration { return d.Round(time.Microsecond) }
