package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cliWorkspace is a real Terraform/OpenTofu working directory that installs this
// provider from a filesystem mirror, for tests that drive the CLI as a person does
// (signals, exit codes), which the testing framework cannot.
type cliWorkspace struct {
	t   *testing.T
	dir string
	env []string
	cli string
}

func newCLIWorkspace(t *testing.T) *cliWorkspace {
	t.Helper()
	root := t.TempDir()
	host := "registry.terraform.io"
	if h := os.Getenv("TF_ACC_PROVIDER_HOST"); h != "" {
		host = h
	}
	bin := filepath.Join(root, "plugins", host, "prodimage", "prodimage", "0.0.1", runtime.GOOS+"_"+runtime.GOARCH, "terraform-provider-prodimage_v0.0.1")
	repo, err := filepath.Abs("../..")
	must(t, err)
	if out, err := exec.Command("go", "build", "-C", repo, "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	rc := filepath.Join(root, "cli.tfrc")
	must(t, os.WriteFile(rc, []byte(fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", filepath.Join(root, "plugins"))), 0o644))
	w := &cliWorkspace{t: t, dir: filepath.Join(root, "work"), cli: os.Getenv("TF_ACC_TERRAFORM_PATH"),
		env: append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")}
	must(t, os.MkdirAll(w.dir, 0o755))
	return w
}

func (w *cliWorkspace) write(config string) {
	config = "terraform {\n  required_providers {\n    prodimage = {\n      source = \"prodimage/prodimage\"\n    }\n  }\n}\n" + config
	must(w.t, os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(config), 0o644))
}

func (w *cliWorkspace) cmd(args ...string) *exec.Cmd {
	c := exec.Command(w.cli, args...)
	c.Dir, c.Env = w.dir, w.env
	return c
}

func (w *cliWorkspace) run(args ...string) string {
	w.t.Helper()
	out, err := w.cmd(args...).CombinedOutput()
	if err != nil {
		w.t.Fatalf("%s %s: %v\n%s", filepath.Base(w.cli), strings.Join(args, " "), err, out)
	}
	return string(out)
}

// stateAttribute reads an attribute of prodimage_build.app from the state file.
func (w *cliWorkspace) stateAttribute(name string) string {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	must(w.t, err)
	var st struct {
		Resources []struct {
			Type      string
			Instances []struct{ Attributes map[string]any }
		}
	}
	must(w.t, json.Unmarshal(b, &st))
	for _, r := range st.Resources {
		if r.Type == "prodimage_build" && len(r.Instances) > 0 {
			return fmt.Sprint(r.Instances[0].Attributes[name])
		}
	}
	w.t.Fatalf("no prodimage_build in the state:\n%s", b)
	return ""
}

// Ctrl-C during a build cancels the solve on the daemon and leaves the state as it was.
func TestAccBuild_interrupt(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	marker := "interrupt-" + acctestRandom()
	dir := writeContext(t, map[string]string{
		"Dockerfile": fmt.Sprintf("FROM %s\nRUN echo fast > /fast\nUSER 65534\n", testEnv.BaseImage),
	})
	w := newCLIWorkspace(t)
	w.write(testEnv.ProviderConfig() + fmt.Sprintf("resource \"prodimage_build\" \"app\" {\n  context = %q\n  tags = [\"%s:v1\"]\n}\n", dir, repo))
	w.run("init", "-input=false")
	w.run("apply", "-auto-approve", "-input=false")
	before := w.stateAttribute("digest")

	// A step that would run for ten minutes; its command line carries a marker so that
	// the test can see the process appear and disappear.
	must(t, os.WriteFile(filepath.Join(dir, "Dockerfile"),
		[]byte(fmt.Sprintf("FROM %s\nRUN echo %s; i=0; while [ $i -lt 600 ]; do sleep 1; i=$((i+1)); done\nUSER 65534\n", testEnv.BaseImage, marker)), 0o644))
	var out bytes.Buffer
	apply := w.cmd("apply", "-auto-approve", "-input=false")
	apply.Stdout, apply.Stderr = &out, &out
	must(t, apply.Start())
	running := func() bool { return exec.Command("pgrep", "-f", marker).Run() == nil }
	deadline := time.Now().Add(2 * time.Minute)
	for !running() {
		if time.Now().After(deadline) {
			_ = apply.Process.Kill()
			t.Fatalf("the slow step never started; output:\n%s", out.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	must(t, apply.Process.Signal(syscall.SIGINT))
	done := make(chan error, 1)
	go func() { done <- apply.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatalf("apply succeeded after Ctrl-C; output:\n%s", out.String())
		}
	case <-time.After(90 * time.Second):
		_ = apply.Process.Kill()
		t.Fatalf("apply did not stop within 90s of Ctrl-C; output:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "Build Cancelled") {
		t.Errorf("the interrupted apply should say Build Cancelled; output:\n%s", out.String())
	}
	deadline = time.Now().Add(30 * time.Second)
	for running() {
		if time.Now().After(deadline) {
			t.Fatal("the build step is still running in BuildKit 30s after the interrupt: the solve was not cancelled")
		}
		time.Sleep(200 * time.Millisecond)
	}
	if after := w.stateAttribute("digest"); after != before {
		t.Fatalf("state digest changed from %s to %s by an interrupted apply", before, after)
	}
	if d, err := testEnv.Head(t.Context(), repo+":v1"); err != nil || d.Digest.String() != before {
		t.Fatalf("tag %s:v1 should still point at %s: %v %v", repo, before, d, err)
	}
}
