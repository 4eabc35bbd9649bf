// Command build measures prodimage_build against buildctl on the same BuildKit daemon
// and registry (issue 3's build benchmarks), side by side in one run:
//
//  1. cached rebuild: `terraform apply -replace` of a two-platform build whose every step
//     is cached, vs `buildctl build` of the same inputs (both push);
//
//  2. ten builds in one apply (-parallelism=10) vs ten `buildctl build` in parallel, each
//     trial with fresh build args so that the RUN steps really execute.
//
//     go run ./bench/build            # from the repository root, after `make setup`
//
// It starts its own buildkitd and registry (internal/acctest) and prints a Markdown
// section for BENCHMARKS.md. Env: TRIALS (default 7), PARALLEL_TRIALS (default 3).
package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prodimage/terraform-provider-prodimage/internal/acctest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench/build:", err)
		os.Exit(1)
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func run() error {
	trials, ptrials := envInt("TRIALS", 7), envInt("PARALLEL_TRIALS", 3)
	root, _ := os.Getwd()
	work, err := os.MkdirTemp("", "prodimage-bench-build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	terraform, err := exec.LookPath("terraform")
	if err != nil {
		return err
	}
	ctx := context.Background()
	env, err := acctest.Start(ctx, acctest.Config{})
	if err != nil {
		return err
	}
	defer env.Stop()

	// The provider, installed from a filesystem mirror as a user would get it.
	plugins := filepath.Join(work, "plugins")
	bin := filepath.Join(plugins, "registry.terraform.io/prodimage/prodimage/0.0.1", runtime.GOOS+"_"+runtime.GOARCH, "terraform-provider-prodimage_v0.0.1")
	if out, err := exec.Command("go", "build", "-o", bin, root).CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	rc := filepath.Join(work, "cli.tfrc")
	os.WriteFile(rc, []byte(fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", plugins)), 0o644)
	logPath := filepath.Join(work, "provider.log")
	tfEnv := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"TF_LOG_PROVIDER=INFO", "TF_LOG_PATH="+logPath)

	// A context of a realistic size: 200 files, ~4 MB, three RUN steps, two platforms.
	ctxDir := filepath.Join(work, "context")
	for i := 0; i < 200; i++ {
		p := filepath.Join(ctxDir, "src", fmt.Sprintf("f%03d.txt", i))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(strings.Repeat(fmt.Sprintf("line %d of file %d\n", i, i), 1000)), 0o644)
	}
	dockerfile := fmt.Sprintf(`FROM %s
ARG SALT=0
RUN echo "$SALT" > /salt && i=0; while [ $i -lt 200 ]; do echo $i >> /count; i=$((i+1)); done
COPY src/ /app/src/
RUN find /app -type f | wc -l > /app/files && sha256sum /app/src/* > /app/sums
RUN mkdir -p /data && chown 65534 /data
USER 65534
`, env.BaseImage)
	os.WriteFile(filepath.Join(ctxDir, "Dockerfile"), []byte(dockerfile), 0o644)
	repo := env.Registry + "/bench/app"
	platforms := "linux/amd64,linux/arm64"

	tfDir := filepath.Join(work, "tf")
	os.MkdirAll(tfDir, 0o755)
	writeTF := func(body string) {
		os.WriteFile(filepath.Join(tfDir, "main.tf"), []byte(`terraform {
  required_providers {
    prodimage = { source = "prodimage/prodimage" }
  }
}
`+env.ProviderConfig()+body), 0o644)
	}
	tf := func(args ...string) (time.Duration, error) {
		cmd := exec.Command(terraform, args...)
		cmd.Dir, cmd.Env = tfDir, tfEnv
		start := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			return 0, fmt.Errorf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return time.Since(start), nil
	}
	buildctl := func(tag string, args ...string) (time.Duration, error) {
		argv := append([]string{"--addr", env.BuildkitUnix, "build", "--frontend", "dockerfile.v0",
			"--local", "context=" + ctxDir, "--local", "dockerfile=" + ctxDir,
			"--opt", "platform=" + platforms,
			"--output", "type=image,name=" + tag + ",push=true,registry.insecure=true,oci-mediatypes=true"}, args...)
		cmd := exec.Command(env.BuildctlPath, argv...)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			return 0, fmt.Errorf("buildctl: %v\n%s", err, out)
		}
		return time.Since(start), nil
	}

	// 1. Cached rebuild.
	writeTF(fmt.Sprintf(`
resource "prodimage_build" "app" {
  context   = %q
  platforms = ["linux/amd64", "linux/arm64"]
  tags      = ["%s:tf"]
}
`, ctxDir, repo))
	if _, err := tf("init", "-input=false"); err != nil {
		return err
	}
	if _, err := tf("apply", "-auto-approve", "-input=false"); err != nil {
		return err
	}
	if _, err := buildctl(repo + ":bk"); err != nil {
		return err
	}
	var tfTimes, bkTimes, solveTimes, noop []time.Duration
	for i := 0; i < trials; i++ {
		os.Truncate(logPath, 0)
		d, err := tf("apply", "-auto-approve", "-input=false", "-replace=prodimage_build.app")
		if err != nil {
			return err
		}
		tfTimes = append(tfTimes, d)
		if s, ok := pushedElapsed(logPath); ok {
			solveTimes = append(solveTimes, s)
		}
		// The provider stamps org.opencontainers.image.created on every build, so its image
		// config and manifests are new each time and must be pushed: give buildctl the same
		// label, so that both push the same amount.
		d, err = buildctl(repo+":bk", "--opt", "label:org.opencontainers.image.created="+time.Now().UTC().Format(time.RFC3339Nano))
		if err != nil {
			return err
		}
		bkTimes = append(bkTimes, d)
		d, err = tf("plan", "-input=false", "-detailed-exitcode")
		if err != nil {
			return fmt.Errorf("the plan after a rebuild is not empty: %w", err)
		}
		noop = append(noop, d)
	}

	// 2. Ten builds in one apply vs ten buildctl in parallel; fresh salts each trial.
	var tfPar, bkPar []time.Duration
	failures := 0
	for trial := 0; trial < ptrials; trial++ {
		salt := strconv.FormatInt(time.Now().UnixNano(), 36)
		writeTF(fmt.Sprintf(`
resource "prodimage_build" "many" {
  count      = 10
  context    = %q
  platforms  = ["linux/amd64", "linux/arm64"]
  tags       = ["%s:tf${count.index}"]
  build_args = { SALT = "tf-%s-${count.index}" }
}
`, ctxDir, repo, salt))
		d, err := tf("apply", "-auto-approve", "-input=false", "-parallelism=10")
		if err != nil {
			return err
		}
		tfPar = append(tfPar, d)
		var wg sync.WaitGroup
		var mu sync.Mutex
		start := time.Now()
		for i := 0; i < 10; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				if _, err := buildctl(fmt.Sprintf("%s:bk%d", repo, i), "--opt", fmt.Sprintf("build-arg:SALT=bk-%s-%d", salt, i)); err != nil {
					mu.Lock()
					failures++
					mu.Unlock()
					fmt.Fprintln(os.Stderr, err)
				}
			}(i)
		}
		wg.Wait()
		bkPar = append(bkPar, time.Since(start))
	}

	cpu := "unknown"
	if b, err := exec.Command("sh", "-c", "lscpu | sed -n 's/^Model name: *//p'").Output(); err == nil {
		cpu = strings.TrimSpace(string(b))
	}
	fmt.Printf("## Build: provider vs buildctl\n\n")
	fmt.Printf("Measured %s on %d cores (%s), %s; BuildKit v0.34.2 (runc, overlayfs) and docker-registry on loopback, "+
		"Terraform %s. Reproduce: `make setup && go run ./bench/build`.\n\n", time.Now().UTC().Format("2006-01-02"), runtime.NumCPU(), cpu, runtime.GOOS+"/"+runtime.GOARCH, tfVersion(terraform))
	fmt.Printf("Context: 200 files (~4 MB), three RUN steps and a COPY, built for linux/amd64 and linux/arm64 (QEMU), pushed.\n\n")
	fmt.Printf("| measurement | runs | median | min | max |\n|---|---|---|---|---|\n")
	row := func(name string, d []time.Duration) {
		fmt.Printf("| %s | %d | %s | %s | %s |\n", name, len(d), median(d), minD(d), maxD(d))
	}
	row("cached rebuild: `terraform apply -replace` (whole CLI run)", tfTimes)
	row("cached rebuild: provider solve+push (its own timing, from TF_LOG)", solveTimes)
	row("cached rebuild: `buildctl build` (same inputs and created label, push)", bkTimes)
	row("no-op `terraform plan` afterwards (digests the context, HEADs the tag)", noop)
	row("ten builds in one `terraform apply -parallelism=10`", tfPar)
	row("ten `buildctl build` in parallel", bkPar)
	fmt.Printf("\nRatios (medians): cached rebuild, whole CLI run / buildctl = **%.2f**; provider solve / buildctl = **%.2f** (target ≤ 1.1); "+
		"ten in one apply / ten buildctl = **%.2f**. Failures: %d.\n",
		ratio(tfTimes, bkTimes), ratio(solveTimes, bkTimes), ratio(tfPar, bkPar), failures)
	return nil
}

var elapsedRe = regexp.MustCompile(`prodimage_build: pushed.*?elapsed=([0-9.]+[a-zµ]+)`)

// pushedElapsed reads the provider's own timing of the solve from its log.
func pushedElapsed(path string) (time.Duration, bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		if m := elapsedRe.FindStringSubmatch(sc.Text()); m != nil {
			d, err := time.ParseDuration(m[1])
			return d, err == nil
		}
	}
	return 0, false
}

func tfVersion(tf string) string {
	out, _ := exec.Command(tf, "version").Output()
	return strings.TrimPrefix(strings.SplitN(string(out), "\n", 2)[0], "Terraform ")
}

func sorted(d []time.Duration) []time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return sorted(d)[len(d)/2].Round(time.Millisecond)
}
func minD(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return sorted(d)[0].Round(time.Millisecond)
}
func maxD(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return sorted(d)[len(d)-1].Round(time.Millisecond)
}
func ratio(a, b []time.Duration) float64 {
	if median(b) == 0 {
		return 0
	}
	return float64(median(a)) / float64(median(b))
}
