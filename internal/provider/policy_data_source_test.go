package provider

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const leakedToken = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"

// A Dockerfile that breaks the checklist in ways a reader can count line by line.
var violatingDockerfile = `FROM python:latest
ENV API_TOKEN=` + leakedToken + `
WORKDIR /app
COPY . /app
RUN pip install -r requirements.txt
CMD python main.py
`

// findingAt asserts that the data source reports rule at line, active or ignored as said.
func findingAt(res, rule string, line int, ignored bool) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		n, err := stateAttr(s, res, "findings.#")
		if err != nil {
			return err
		}
		count, _ := strconv.Atoi(n)
		var seen []string
		for i := 0; i < count; i++ {
			r, _ := stateAttr(s, res, fmt.Sprintf("findings.%d.rule", i))
			l, _ := stateAttr(s, res, fmt.Sprintf("findings.%d.line", i))
			ig, _ := stateAttr(s, res, fmt.Sprintf("findings.%d.ignored", i))
			seen = append(seen, fmt.Sprintf("%s@%s(ignored=%s)", r, l, ig))
			if r == rule && l == strconv.Itoa(line) && ig == strconv.FormatBool(ignored) {
				return nil
			}
		}
		return fmt.Errorf("no %s finding at line %d (ignored=%v); findings: %s", rule, line, ignored, strings.Join(seen, ", "))
	}
}

func TestAccPolicyDataSource_violations(t *testing.T) {
	preCheck(t)
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	must(t, os.WriteFile(df, []byte(violatingDockerfile), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "requirements.txt"), []byte("flask==3.0.0\n"), 0o644))
	cfg := func(extra string) string {
		// No builder anywhere: the policy must not need BuildKit.
		return fmt.Sprintf(`
provider "prodimage" {
  builder {
    address = "unix:///nonexistent/buildkitd.sock"
  }
}

data "prodimage_policy" "app" {
  dockerfile = %q
%s
}
`, df, extra)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:   cfg(""),
			PlanOnly: true,
			// Terraform wraps diagnostic text, so any run of white space may be a line break.
			ExpectError: regexp.MustCompile(`(?s)Dockerfile Policy Violations.*` +
				`Dockerfile:1\s+\[high\]\s+from-latest:.*fix:.*` +
				`Dockerfile:2\s+\[critical\]\s+secret-env:.*` +
				`Dockerfile:6\s+\[high\]\s+exec-form:`),
		}, {
			Config: cfg(`  enforce = false`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.prodimage_policy.app", tfjsonpath.New("passed"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.prodimage_policy.app", tfjsonpath.New("checklist").AtMapKey("non_root_user"), knownvalue.StringExact("fail")),
				statecheck.ExpectKnownValue("data.prodimage_policy.app", tfjsonpath.New("checklist").AtMapKey("pinned_base_images"), knownvalue.StringExact("fail")),
				statecheck.ExpectKnownValue("data.prodimage_policy.app", tfjsonpath.New("checklist").AtMapKey("no_secrets"), knownvalue.StringExact("fail")),
				statecheck.ExpectKnownValue("data.prodimage_policy.app", tfjsonpath.New("checklist").AtMapKey("signal_handling"), knownvalue.StringExact("fail")),
				statecheck.ExpectKnownValue("data.prodimage_policy.app", tfjsonpath.New("checklist").AtMapKey("dockerignore"), knownvalue.StringExact("fail")),
				statecheck.ExpectKnownValue("data.prodimage_policy.app", tfjsonpath.New("checklist").AtMapKey("vulnerability_scan"), knownvalue.StringExact("not_evaluated")),
				statecheck.ExpectKnownValue("data.prodimage_policy.app", tfjsonpath.New("counts").AtMapKey("critical"), knownvalue.Int64Func(func(v int64) error {
					if v < 1 {
						return fmt.Errorf("want at least one critical finding, got %d", v)
					}
					return nil
				})),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				findingAt("data.prodimage_policy.app", "from-latest", 1, false),
				findingAt("data.prodimage_policy.app", "user-root", 1, false),
				findingAt("data.prodimage_policy.app", "secret-env", 2, false),
				findingAt("data.prodimage_policy.app", "exec-form", 6, false),
				findingAt("data.prodimage_policy.app", "dockerignore-missing", 1, false),
				stateNotContains(leakedToken),
			),
		}, {
			// Ignored by ID and by a peer's alias: listed, not counted.
			Config: cfg(`  enforce = false
  ignore  = ["from-latest", "DL3025"]`),
			Check: resource.ComposeAggregateTestCheckFunc(
				findingAt("data.prodimage_policy.app", "from-latest", 1, true),
				findingAt("data.prodimage_policy.app", "exec-form", 6, true),
			),
		}},
	})
}

// prodimage_build's policy block fails the plan before anything is built; the same
// build passes once the Dockerfile is fixed.
func TestAccBuild_policyBlock(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	dir := writeContext(t, map[string]string{
		"Dockerfile":    fmt.Sprintf("FROM %s\nRUN echo hi > /hi\nCMD sh -c 'cat /hi'\n", testEnv.BaseImage),
		".dockerignore": ".git\n.env*\n",
	})
	config := buildConfig(dir, fmt.Sprintf(`  tags = ["%s:v1"]
  labels = { "org.opencontainers.image.source" = "https://example.com/app" }
  policy {
    fail_on = "high"
  }`, repo))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: regexp.MustCompile(`(?s)Dockerfile Policy Violations.*Dockerfile:1\s+\[high\]\s+user-root:.*Dockerfile:3\s+\[high\]\s+exec-form:`),
		}, {
			PreConfig: func() {
				if _, err := testEnv.Head(t.Context(), repo+":v1"); err == nil {
					t.Fatal("the violating build was pushed; the policy must fail the plan before any build")
				}
				must(t, os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(fmt.Sprintf(
					"FROM %s\nRUN echo hi > /hi\nUSER 65534\nHEALTHCHECK CMD [\"cat\", \"/hi\"]\nCMD [\"cat\", \"/hi\"]\n", testEnv.BaseImage)), 0o644))
			},
			Config: config,
			Check:  checkTagsMatchRegistry("prodimage_build.app", repo+":v1"),
		}},
	})
}

// Each production example plans with passed = true, run as a user runs it: its own
// main.tf, terraform init, apply (data sources only) and the passed output.
func TestAccPolicyDataSource_productionExamples(t *testing.T) {
	preCheck(t)
	w := newCLIWorkspace(t)
	for _, name := range []string{"go", "node-typescript", "python-fastapi"} {
		t.Run(name, func(t *testing.T) {
			src, err := filepath.Abs(filepath.Join("..", "..", "examples", "production", name))
			must(t, err)
			w.dir = filepath.Join(t.TempDir(), name)
			if out, err := exec.Command("cp", "-a", src, w.dir).CombinedOutput(); err != nil {
				t.Fatalf("copying %s: %v\n%s", src, err, out)
			}
			w.run("init", "-input=false")
			w.run("apply", "-auto-approve", "-input=false")
			if got := strings.TrimSpace(w.run("output", "-raw", "passed")); got != "true" {
				t.Fatalf("examples/production/%s: passed = %s; plan output:\n%s", name, got, w.run("plan", "-input=false"))
			}
			checklist := w.run("output", "-json", "checklist")
			if strings.Contains(checklist, `"fail"`) || strings.Contains(checklist, `"warn"`) {
				t.Errorf("examples/production/%s: checklist has a warn or fail: %s", name, checklist)
			}
		})
	}
}
