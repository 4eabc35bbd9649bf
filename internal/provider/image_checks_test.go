package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Issue 5, item 3: the image rules catch, on an image the test builds, a root user, a
// missing HEALTHCHECK, a secret ENV, a secret build arg in history and an .env file added
// in one layer and deleted in the next; no message holds a secret value.
func TestAccPolicyDataSource_imageRules(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	envSecret := "AKIA" + "Q4EXAMPLE7SECRETX2" // credential-shaped
	argSecret := "npm-" + acctestRandom()
	fileSecret := "DB_PASSWORD=" + acctestRandom()
	dir := writeContext(t, map[string]string{
		"Dockerfile": fmt.Sprintf(`FROM %s
ARG NPM_TOKEN
ENV AWS_ACCESS_KEY_ID=%s
COPY .env /app/.env
RUN rm /app/.env
RUN echo "installing with a token" > /installed
CMD ["sh"]
`, testEnv.BaseImage, envSecret),
		".env": fileSecret + "\n",
	})
	config := buildConfig(dir, fmt.Sprintf(`  tags = ["%s:bad"]
  platforms  = ["linux/amd64"]
  build_args = { NPM_TOKEN = %q }`, repo, argSecret)) + `
data "prodimage_policy" "image" {
  image   = prodimage_build.app.image_ref
  enforce = false
}
`
	const ds = "data.prodimage_policy.image"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("passed"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("checklist").AtMapKey("no_secrets"), knownvalue.StringExact("fail")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("checklist").AtMapKey("non_root_user"), knownvalue.StringExact("fail")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("checklist").AtMapKey("healthcheck"), knownvalue.StringExact("fail")),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				findingAt(ds, "image-user-root", 0, false),
				findingAt(ds, "image-healthcheck", 0, false),
				findingAt(ds, "image-secret-env", 0, false),
				findingAt(ds, "image-secret-history", 0, false),
				findingAt(ds, "image-secret-file", 0, false),
				resource.TestMatchResourceAttr(ds, "report_json", regexp.MustCompile(`/app/\.env.*deleted in a later layer`)),
				stateNotContainsIn(ds, envSecret, argSecret, fileSecret),
			),
		}},
	})
}

// stateNotContainsIn checks the data source's own attributes (messages, SARIF, JSON): the
// resource's build_args legitimately hold the build-arg value the test passed.
func stateNotContainsIn(res string, secrets ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[res]
		if !ok {
			return fmt.Errorf("%s not in state", res)
		}
		for k, v := range rs.Primary.Attributes {
			for _, sec := range secrets {
				if regexp.MustCompile(regexp.QuoteMeta(sec)).MatchString(v) {
					return fmt.Errorf("%s.%s contains a secret value", res, k)
				}
			}
		}
		return nil
	}
}

// Issue 5, item 4: with policy { image_checks = true }, a violating image is pushed by
// digest only; apply fails and the tag still points at the previous image.
func TestAccBuild_imageChecksKeepTags(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	good := fmt.Sprintf("FROM %s\nRUN echo ok > /ok\nUSER 65534\nHEALTHCHECK CMD [\"cat\", \"/ok\"]\nCMD [\"cat\", \"/ok\"]\n", testEnv.BaseImage)
	// A private key under an innocent name: no Dockerfile rule can see it, only the layers.
	bad := fmt.Sprintf("FROM %s\nCOPY settings.txt /app/settings.txt\nRUN echo ok > /ok\nUSER 65534\nHEALTHCHECK CMD [\"cat\", \"/ok\"]\nCMD [\"cat\", \"/ok\"]\n", testEnv.BaseImage)
	key := "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACDdtZ7bexample0123456789abcdefghijklmnopqrstuvw==\n-----END OPENSSH PRIVATE KEY-----\n"
	dir := writeContext(t, map[string]string{"Dockerfile": good, "settings.txt": key, ".dockerignore": ".git\n.env*\n"})
	config := buildConfig(dir, fmt.Sprintf(`  tags   = ["%s:v1"]
  labels = { "org.opencontainers.image.source" = "https://example.com/app" }
  policy {
    fail_on      = "high"
    image_checks = true
  }`, repo))
	var first string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check: resource.ComposeAggregateTestCheckFunc(
				captureAttr("prodimage_build.app", "digest", &first),
				checkTagsMatchRegistry("prodimage_build.app", repo+":v1"),
			),
		}, {
			PreConfig:   func() { must(t, os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(bad), 0o644)) },
			Config:      config,
			ExpectError: regexp.MustCompile(`(?s)Image Policy Violations.*\[critical\]\s+image-secret-file:.*/app/settings\.txt`),
		}, {
			PreConfig: func() {
				d, err := testEnv.Head(context.Background(), repo+":v1")
				must(t, err)
				if d.Digest.String() != first {
					t.Fatalf("after a failed image check %s:v1 points at %s, want the previous %s", repo, d.Digest, first)
				}
				must(t, os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(good), 0o644))
			},
			Config: config,
			Check:  checkAttrEquals("prodimage_build.app", "digest", &first),
		}},
	})
}

// Issue 5, item 5: Trivy JSON, Grype JSON and SARIF gate as configured; an expired
// ignore counts again.
func TestAccPolicyDataSource_vulnerabilityGate(t *testing.T) {
	preCheck(t)
	fixtures, err := filepath.Abs("../policy/testdata/vuln")
	must(t, err)
	cfg := func(report, extra string) string {
		return fmt.Sprintf(`
provider "prodimage" {}

data "prodimage_policy" "v" {
  dockerfile_content   = "FROM scratch\n"
  vulnerability_report = %q
  enforce              = false
%s
}
`, filepath.Join(fixtures, report), extra)
	}
	status := func(want string) []statecheck.StateCheck {
		return []statecheck.StateCheck{statecheck.ExpectKnownValue("data.prodimage_policy.v",
			tfjsonpath.New("checklist").AtMapKey("vulnerability_scan"), knownvalue.StringExact(want))}
	}
	steps := []resource.TestStep{}
	for _, report := range []string{"trivy.json", "grype.json", "trivy.sarif"} {
		steps = append(steps,
			resource.TestStep{Config: cfg(report, ""), ConfigStateChecks: status("fail")}, // default: no critical allowed
			resource.TestStep{Config: cfg(report, `  max_vulnerabilities = { critical = 2, high = 10 }`), ConfigStateChecks: status("pass")},
		)
	}
	steps = append(steps,
		resource.TestStep{Config: cfg("trivy.json", `  ignore_vulnerabilities = [
    { id = "CVE-2023-45853", expires = "2999-12-31" },
    { id = "CVE-2024-45491" },
  ]`), ConfigStateChecks: status("pass")},
		resource.TestStep{Config: cfg("trivy.json", `  ignore_vulnerabilities = [
    { id = "CVE-2023-45853", expires = "2020-01-01" },
    { id = "CVE-2024-45491" },
  ]`), ConfigStateChecks: status("fail"),
			Check: resource.TestMatchResourceAttr("data.prodimage_policy.v", "report_json", regexp.MustCompile(`CVE-2023-45853`))},
		resource.TestStep{Config: `
provider "prodimage" {}

data "prodimage_policy" "v" {
  dockerfile_content = "FROM scratch\n"
  enforce            = false
}
`, ConfigStateChecks: status("not_evaluated")},
	)
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
}
