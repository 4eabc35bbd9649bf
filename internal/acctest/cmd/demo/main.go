// Command demo runs the quickstart end to end on this machine: it starts BuildKit and a
// registry the way the acceptance tests do (state kept under .cache/demo), seeds an
// offline mirror of the Go builder image, installs the provider for Terraform through a
// dev_overrides CLI configuration, and runs `terraform init && terraform apply` in
// examples/quickstart. It prints the pinned image reference.
//
//	go run ./internal/acctest/cmd/demo           # apply
//	go run ./internal/acctest/cmd/demo destroy   # destroy
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/prodimage/terraform-provider-prodimage/internal/acctest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run() error {
	action := "apply"
	if len(os.Args) > 1 {
		action = os.Args[1]
	}
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	cache := filepath.Join(root, ".cache", "demo")
	terraform := os.Getenv("TERRAFORM")
	if terraform == "" {
		if terraform, err = exec.LookPath("terraform"); err != nil {
			return fmt.Errorf("terraform is not on the PATH (set TERRAFORM to its path)")
		}
	}

	// The provider, installed the way `terraform init` finds a released one: from a
	// filesystem mirror in the registry's layout.
	plugins := filepath.Join(cache, "plugins")
	const version = "0.0.1"
	bin := filepath.Join(plugins, "registry.terraform.io", "prodimage", "prodimage", version,
		runtime.GOOS+"_"+runtime.GOARCH, "terraform-provider-prodimage_v"+version)
	step("building the provider")
	if err := sh(root, nil, "go", "build", "-ldflags", "-X main.version="+version, "-o", bin, "."); err != nil {
		return err
	}
	cliConfig := filepath.Join(cache, "terraformrc")
	if err := os.WriteFile(cliConfig, []byte(fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/prodimage/prodimage"]
  }
}
`, plugins)), 0o644); err != nil {
		return err
	}

	port := 5055
	if p := os.Getenv("PRODIMAGE_DEMO_REGISTRY_PORT"); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return fmt.Errorf("PRODIMAGE_DEMO_REGISTRY_PORT=%q is not a port number", p)
		}
	}
	step(fmt.Sprintf("starting buildkitd and a registry on 127.0.0.1:%d (state in %s)", port, cache))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	startCtx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	env, err := acctest.Start(startCtx, acctest.Config{Dir: filepath.Join(cache, "env"), RegistryPort: port})
	cancel()
	if err != nil {
		return err
	}
	defer env.Stop()

	step("seeding the offline mirror of the Go builder image (first run: about a minute)")
	mirror, err := env.SeedGoMirror(ctx)
	if err != nil {
		return err
	}
	mirrorJSON, _ := json.Marshal(mirror)
	insecure, _ := json.Marshal([]string{env.Registry})

	tfenv := []string{
		"TF_CLI_CONFIG_FILE=" + cliConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"TF_VAR_builder_address=" + env.BuildkitUnix,
		"TF_VAR_registry=" + env.Registry,
		"TF_VAR_insecure_registries=" + string(insecure),
		"TF_VAR_base_image_mirror=" + string(mirrorJSON),
	}
	dir := filepath.Join(root, "examples", "quickstart")
	if action == "destroy" {
		step("terraform destroy")
		return sh(dir, tfenv, terraform, "destroy", "-auto-approve", "-input=false")
	}
	step("terraform init")
	// The provider was just rebuilt from this checkout, so the checksum a previous run
	// locked is stale: the lock file (git-ignored here) is made anew.
	_ = os.Remove(filepath.Join(dir, ".terraform.lock.hcl"))
	if err := sh(dir, tfenv, terraform, "init", "-input=false"); err != nil {
		return err
	}
	step("terraform apply")
	if err := sh(dir, tfenv, terraform, "apply", "-auto-approve", "-input=false"); err != nil {
		return err
	}
	ref, err := output(dir, tfenv, terraform, "-raw", "image_ref")
	if err != nil {
		return err
	}
	digests, err := output(dir, tfenv, terraform, "-json", "platform_digests")
	if err != nil {
		return err
	}
	var pd map[string]string
	_ = json.Unmarshal([]byte(digests), &pd)
	fmt.Println()
	fmt.Println("Pinned image reference (what a Deployment should use):")
	fmt.Println()
	fmt.Println("  image_ref = " + ref)
	fmt.Println()
	for _, p := range []string{"linux/amd64", "linux/arm64"} {
		fmt.Printf("  %-12s %s\n", p, pd[p])
	}
	fmt.Println()
	fmt.Println("Run `make demo` again: the plan is empty and nothing is rebuilt. Edit examples/quickstart/app/main.go and the image and the deployment change.")
	return nil
}

func step(msg string) { fmt.Printf("\n\033[1m==> %s\033[0m\n", msg) }

func sh(dir string, env []string, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w", filepath.Base(name), strings.Join(args, " "), err)
	}
	return nil
}

func output(dir string, env []string, terraform string, args ...string) (string, error) {
	cmd := exec.Command(terraform, append([]string{"output"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}
