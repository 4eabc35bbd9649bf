package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/prodimage/terraform-provider-prodimage/internal/acctest"
)

func buildConfig(dir, body string) string {
	return testEnv.ProviderConfig() + fmt.Sprintf(`
resource "prodimage_build" "app" {
  context = %q
%s
}
`, dir, body)
}

// captureAttr stores an attribute of the state in *dst, for comparisons in later steps.
func captureAttr(res, attr string, dst *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		v, err := stateAttr(s, res, attr)
		*dst = v
		return err
	}
}

func checkAttrEquals(res, attr string, want *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		v, err := stateAttr(s, res, attr)
		if err != nil {
			return err
		}
		if v != *want {
			return fmt.Errorf("%s.%s = %s, want %s", res, attr, v, *want)
		}
		return nil
	}
}

func checkAttrDiffers(res, attr string, other *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		v, err := stateAttr(s, res, attr)
		if err != nil {
			return err
		}
		if v == *other {
			return fmt.Errorf("%s.%s is still %s; expected a new value", res, attr, v)
		}
		return nil
	}
}

func buildctl(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(testEnv.BuildctlPath, append([]string{"--addr", testEnv.BuildkitUnix}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("buildctl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Item 2: an unchanged context plans nothing; a changed file plans an update that
// replaces the consumer; a change .dockerignore excludes plans nothing.
func TestAccBuild_noChurn(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	dir := writeContext(t, map[string]string{
		"Dockerfile":       fmt.Sprintf("FROM %s\nCOPY . /app\nUSER 65534\nCMD [\"ls\", \"/app\"]\n", testEnv.BaseImage),
		".dockerignore":    "ignored/\n*.log\n",
		"src/main.txt":     "v1\n",
		"ignored/cache.db": "x\n",
	})
	config := buildConfig(dir, fmt.Sprintf(`  tags = ["%s:v1"]`, repo)) + `
resource "terraform_data" "deploy" {
  triggers_replace = prodimage_build.app.image_ref
}
`
	var first string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check:  captureAttr("prodimage_build.app", "digest", &first),
		}, emptyPlanStep(config), {
			PreConfig: func() {
				must(t, os.WriteFile(filepath.Join(dir, "src", "main.txt"), []byte("v2\n"), 0o644))
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("prodimage_build.app", plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue("prodimage_build.app", tfjsonpathOf("image_ref")),
					plancheck.ExpectResourceAction("terraform_data.deploy", plancheck.ResourceActionReplace),
				},
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkAttrDiffers("prodimage_build.app", "digest", &first),
				checkTagsMatchRegistry("prodimage_build.app", repo+":v1"),
			),
		}, {
			PreConfig: func() {
				must(t, os.WriteFile(filepath.Join(dir, "ignored", "cache.db"), []byte("changed\n"), 0o644))
				must(t, os.WriteFile(filepath.Join(dir, "debug.log"), []byte("new file\n"), 0o644))
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
}

// emptyPlanStep asserts that config plans nothing: no churn.
func emptyPlanStep(config string) resource.TestStep {
	return resource.TestStep{
		Config: config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}
}

// stateUnchangedStep proves that a failed step left everything as it was: with the
// original inputs the plan is empty, and state and tag still hold the earlier digest.
func stateUnchangedStep(config, tag string, digest *string, preConfig func()) resource.TestStep {
	return resource.TestStep{
		PreConfig: preConfig,
		Config:    config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		Check: resource.ComposeAggregateTestCheckFunc(
			checkAttrEquals("prodimage_build.app", "digest", digest),
			checkTagsMatchRegistry("prodimage_build.app", tag),
		),
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Item 3: a secret reaches RUN --mount=type=secret and nothing else.
func TestAccBuild_secrets(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	secretValue := "s3cr3t-" + acctestRandom()
	envValue := "env-" + acctestRandom()
	t.Setenv("PRODIMAGE_ACC_ENV_SECRET", envValue)
	sum := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
	// The Dockerfile holds only hashes: the build fails unless both secrets arrive intact.
	dir := writeContext(t, map[string]string{
		"Dockerfile": fmt.Sprintf(`FROM %s
RUN --mount=type=secret,id=token,required=true --mount=type=secret,id=envtoken,required=true \
    test "$(sha256sum < /run/secrets/token | cut -d' ' -f1)" = "%s" && \
    test "$(sha256sum < /run/secrets/envtoken | cut -d' ' -f1)" = "%s" && \
    echo verified > /secrets-verified
USER 65534
`, testEnv.BaseImage, sum(secretValue), sum(envValue)),
	})
	// The documented pattern: an ephemeral variable feeds the write-only value, so the
	// secret is in neither the plan nor the state.
	t.Setenv("TF_VAR_token", secretValue)
	config := buildConfig(dir, fmt.Sprintf(`  tags = ["%s:v1"]
  secrets = {
    token    = { value = var.token }
    envtoken = { env = "PRODIMAGE_ACC_ENV_SECRET" }
  }`, repo)) + `
variable "token" {
  type      = string
  sensitive = true
  ephemeral = true
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{planNotContains(secretValue, envValue)},
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				stateNotContains(secretValue, envValue),
				imageNotContains(repo+":v1", secretValue, envValue),
			),
		}},
	})
}

func acctestRandom() string {
	b := make([]byte, 8)
	f, _ := os.Open("/dev/urandom")
	defer f.Close()
	_, _ = f.Read(b)
	return hex.EncodeToString(b)
}

type planNotContainsCheck struct{ secrets []string }

func planNotContains(secrets ...string) plancheck.PlanCheck { return planNotContainsCheck{secrets} }

func (c planNotContainsCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	b, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	for _, s := range c.secrets {
		if strings.Contains(string(b), s) {
			resp.Error = fmt.Errorf("the plan JSON contains a secret value")
			return
		}
	}
}

func stateNotContains(secrets ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		b, err := json.Marshal(s)
		if err != nil {
			return err
		}
		for _, sec := range secrets {
			if strings.Contains(string(b), sec) {
				return fmt.Errorf("the state contains a secret value")
			}
		}
		return nil
	}
}

// imageNotContains reads the manifest, config (with history) and every layer of the
// image, uncompressed, and fails if any holds a secret.
func imageNotContains(tag string, secrets ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx := context.Background()
		ref, err := testEnv.ParseRef(tag)
		if err != nil {
			return err
		}
		img, err := remote.Image(ref, testEnv.RemoteOptions(ctx)...)
		if err != nil {
			return err
		}
		blobs := map[string][]byte{}
		if blobs["manifest"], err = img.RawManifest(); err != nil {
			return err
		}
		if blobs["config"], err = img.RawConfigFile(); err != nil {
			return err
		}
		layers, err := img.Layers()
		if err != nil {
			return err
		}
		if len(layers) < 2 {
			return fmt.Errorf("image has %d layers; the RUN step should have added one", len(layers))
		}
		for i, l := range layers {
			rc, err := l.Uncompressed()
			if err != nil {
				return err
			}
			var sb strings.Builder
			buf := make([]byte, 1<<16)
			for {
				n, err := rc.Read(buf)
				sb.Write(buf[:n])
				if err != nil {
					break
				}
			}
			rc.Close()
			blobs[fmt.Sprintf("layer %d", i)] = []byte(sb.String())
		}
		found := false
		for name, b := range blobs {
			for _, s := range secrets {
				if strings.Contains(string(b), s) {
					return fmt.Errorf("the image's %s contains a secret value", name)
				}
			}
			if strings.Contains(string(b), "secrets-verified") {
				found = true
			}
		}
		if !found {
			return errors.New("no layer holds /secrets-verified: the secret-consuming RUN step did not run")
		}
		return nil
	}
}

// Item 4: push to the TLS registry with htpasswd auth from registry_auth, pulling a
// private base through the session; a wrong password fails with Push Denied and state
// unchanged.
func TestAccBuild_registryAuth(t *testing.T) {
	preCheck(t)
	repo := testEnv.TLSRegistry + "/acc/auth"
	// The base is public (plain registry) so that the push is the first thing that needs
	// credentials when the password is wrong.
	dir := writeContext(t, map[string]string{
		"Dockerfile": fmt.Sprintf("FROM %s\nARG REV=1\nRUN echo $REV > /rev\nUSER 65534\n", testEnv.BaseImage),
	})
	good := buildConfig(dir, fmt.Sprintf(`  tags = ["%s:v1"]`, repo))
	// The same resource with a wrong password and a changed input: refresh can only warn,
	// the rebuild's push must fail with Push Denied, and the state must keep the image.
	bad := strings.Replace(testEnv.ProviderConfig(), testEnv.TLSPassword, "wrong-password", 1) + fmt.Sprintf(`
resource "prodimage_build" "app" {
  context = %q
  tags    = ["%s:v1"]
  labels  = { changed = "yes" }
}
`, dir, repo)
	var first string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: good,
			Check: resource.ComposeAggregateTestCheckFunc(
				captureAttr("prodimage_build.app", "digest", &first),
				checkTagsMatchRegistry("prodimage_build.app", repo+":v1"),
			),
		}, {
			Config:      bad,
			ExpectError: regexp.MustCompile(`(?s)Push Denied.*` + regexp.QuoteMeta(testEnv.TLSRegistry) + `.*provider registry_auth`),
			Check:       checkAttrEquals("prodimage_build.app", "digest", &first),
		},
			stateUnchangedStep(good, repo+":v1", &first, nil),
		},
	})
}

// Item 5: a tag moved outside Terraform is planned as an update and re-pointed.
func TestAccBuild_tagMovedOutside(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	dir := writeContext(t, map[string]string{
		"Dockerfile": fmt.Sprintf("FROM %s\nRUN echo built > /built\nUSER 65534\n", testEnv.BaseImage),
	})
	config := buildConfig(dir, fmt.Sprintf(`  tags = ["%s:v1", "%s:stable"]`, repo, repo))
	var first string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check:  captureAttr("prodimage_build.app", "digest", &first),
		}, {
			PreConfig: func() {
				img, err := acctest.BusyboxImage("linux/amd64")
				must(t, err)
				must(t, testEnv.PushImage(context.Background(), repo+":stable", img))
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("prodimage_build.app", plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue("prodimage_build.app", tfjsonpathOf("digest"), knownString(&first)),
				},
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkAttrEquals("prodimage_build.app", "digest", &first),
				checkTagsMatchRegistry("prodimage_build.app", repo+":v1", repo+":stable"),
			),
		}, emptyPlanStep(config)},
	})
}

// Item 6: a failing RUN names the line, the instruction, the exit code and the output;
// the state keeps the previous image.
func TestAccBuild_failingStep(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	good := fmt.Sprintf("FROM %s\nRUN echo fine > /fine\nUSER 65534\n", testEnv.BaseImage)
	bad := fmt.Sprintf("FROM %s\nRUN echo fine > /fine\nRUN echo first-line && echo last-words-before-failure && exit 3\nUSER 65534\n", testEnv.BaseImage)
	dir := writeContext(t, map[string]string{"Dockerfile": good})
	config := buildConfig(dir, fmt.Sprintf(`  tags = ["%s:v1"]`, repo))
	var first string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check:  captureAttr("prodimage_build.app", "digest", &first),
		}, {
			PreConfig: func() { must(t, os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(bad), 0o644)) },
			Config:    config,
			ExpectError: regexp.MustCompile(`(?s)Build Failed.*Dockerfile line 3.*RUN echo first-line.*` +
				`exited with code 3.*last-words-before-failure`),
		},
			stateUnchangedStep(config, repo+":v1", &first, func() {
				must(t, os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(good), 0o644))
			}),
		},
	})
}

// Item 7: with source_date_epoch, a replaced build (cache pruned) has the same digest.
func TestAccBuild_reproducible(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	dir := writeContext(t, map[string]string{
		"Dockerfile": fmt.Sprintf("FROM %s\nCOPY app.txt /app.txt\nRUN echo built > /built && mkdir /data\nUSER 65534\n", testEnv.BaseImage),
		"app.txt":    "hello\n",
	})
	config := buildConfig(dir, fmt.Sprintf(`  tags = ["%s:v1"]
  platforms = ["linux/amd64", "linux/arm64"]
  source_date_epoch = "1700000000"`, repo))
	var first string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check:  captureAttr("prodimage_build.app", "digest", &first),
		}, {
			PreConfig: func() { buildctl(t, "prune", "--all") },
			Taint:     []string{"prodimage_build.app"},
			Config:    config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("prodimage_build.app", plancheck.ResourceActionReplace)},
			},
			Check: checkAttrEquals("prodimage_build.app", "digest", &first),
		}},
	})
}

// Item 8: one platform without attestations is a plain manifest; provenance makes an index.
func TestAccBuild_manifestOrIndex(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	dir := writeContext(t, map[string]string{
		"Dockerfile": fmt.Sprintf("FROM %s\nRUN echo one > /one\nUSER 65534\n", testEnv.BaseImage),
	})
	mediaType := func(tag, want string, attestations bool) resource.TestCheckFunc {
		return func(*terraform.State) error {
			d, err := testEnv.Head(context.Background(), tag)
			if err != nil {
				return err
			}
			if string(d.MediaType) != want {
				return fmt.Errorf("%s is %s, want %s", tag, d.MediaType, want)
			}
			if !attestations {
				return nil
			}
			ref, _ := testEnv.ParseRef(tag)
			idx, err := remote.Index(ref, testEnv.RemoteOptions(context.Background())...)
			if err != nil {
				return err
			}
			im, _ := idx.IndexManifest()
			for _, m := range im.Manifests {
				if m.Annotations["vnd.docker.reference.type"] == "attestation-manifest" {
					return nil
				}
			}
			return fmt.Errorf("%s has no attestation manifest", tag)
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: buildConfig(dir, fmt.Sprintf(`  tags = ["%s:single"]
  platforms  = ["linux/amd64"]
  provenance = "off"`, repo)),
			Check: resource.ComposeAggregateTestCheckFunc(
				mediaType(repo+":single", "application/vnd.oci.image.manifest.v1+json", false),
				resource.TestCheckResourceAttr("prodimage_build.app", "platform_digests.%", "1"),
				resource.TestCheckResourceAttrPair("prodimage_build.app", "platform_digests.linux/amd64", "prodimage_build.app", "digest"),
			),
		}, {
			Config: buildConfig(dir, fmt.Sprintf(`  tags = ["%s:single"]
  platforms  = ["linux/amd64"]
  provenance = "min"`, repo)),
			Check: resource.ComposeAggregateTestCheckFunc(
				mediaType(repo+":single", "application/vnd.oci.image.index.v1+json", true),
				resource.TestCheckResourceAttr("prodimage_build.app", "platform_digests.%", "1"),
			),
		}},
	})
}

// Item 9: a registry cache survives `buildctl prune --all`: the rebuilt RUN step (which
// records the time it ran) comes from the cache, so the image is identical.
func TestAccBuild_registryCache(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	dir := writeContext(t, map[string]string{
		"Dockerfile": fmt.Sprintf("FROM %s\nRUN date +%%s%%N > /built-at\nUSER 65534\n", testEnv.BaseImage),
	})
	config := buildConfig(dir, fmt.Sprintf(`  tags = ["%s:v1"]
  platforms  = ["linux/amd64"]
  oci_labels = false
  cache_to   = ["type=registry,ref=%s:buildcache,mode=max,registry.insecure=true"]
  cache_from = ["type=registry,ref=%s:buildcache,registry.insecure=true"]`, repo, repo, repo))
	var first string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check: resource.ComposeAggregateTestCheckFunc(
				captureAttr("prodimage_build.app", "digest", &first),
				func(*terraform.State) error {
					_, err := testEnv.Head(context.Background(), repo+":buildcache")
					return err
				},
			),
		}, {
			PreConfig: func() { buildctl(t, "prune", "--all") },
			Taint:     []string{"prodimage_build.app"},
			Config:    config,
			Check:     checkAttrEquals("prodimage_build.app", "digest", &first),
		}},
	})
}

// Item 10: import by tag, then an empty plan; delete_on_destroy removes the manifest.
func TestAccBuild_importAndDelete(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	dir := writeContext(t, map[string]string{
		"Dockerfile": fmt.Sprintf("FROM %s\nRUN echo imported > /imported\nUSER 65534\n", testEnv.BaseImage),
	})
	config := buildConfig(dir, fmt.Sprintf(`  tags = ["%s:v1"]
  build_args        = { A = "1" }
  delete_on_destroy = true`, repo))
	var digest string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			_, err := testEnv.Head(context.Background(), repo+"@"+digest)
			if err == nil {
				return fmt.Errorf("%s@%s still in the registry after destroy with delete_on_destroy", repo, digest)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: config,
			Check:  captureAttr("prodimage_build.app", "digest", &digest),
		}, {
			Config:                               config,
			ResourceName:                         "prodimage_build.app",
			ImportState:                          true,
			ImportStateId:                        repo + ":v1",
			ImportStateVerify:                    true,
			ImportStateVerifyIdentifierAttribute: "id",
			ImportStateVerifyIgnore:              []string{"metadata", "timeouts"},
		}, {
			// Forget the resource without destroying it, then adopt the tag again with
			// a config-driven import: the plan must import and change nothing.
			Config: testEnv.ProviderConfig() + "removed {\n  from = prodimage_build.app\n  lifecycle {\n    destroy = false\n  }\n}\n",
		}, {
			Config: config + fmt.Sprintf("import {\n  to = prodimage_build.app\n  id = %q\n}\n", repo+":v1"),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("prodimage_build.app", plancheck.ResourceActionNoop)},
			},
			Check: checkAttrEquals("prodimage_build.app", "digest", &digest),
		}, emptyPlanStep(config)},
	})
}

// Item 11: ten builds in one apply share one BuildKit connection and all succeed.
func TestAccBuild_parallel(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	dir := writeContext(t, map[string]string{
		"Dockerfile": fmt.Sprintf("FROM %s\nARG N\nRUN echo $N > /n\nUSER 65534\n", testEnv.BaseImage),
	})
	config := testEnv.ProviderConfig() + fmt.Sprintf(`
resource "prodimage_build" "many" {
  count      = 10
  context    = %q
  tags       = ["%s:n${count.index}"]
  build_args = { N = tostring(count.index) }
}
`, dir, repo)
	checks := []resource.TestCheckFunc{}
	for i := 0; i < 10; i++ {
		checks = append(checks, checkTagsMatchRegistry(fmt.Sprintf("prodimage_build.many.%d", i), fmt.Sprintf("%s:n%d", repo, i)))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check:  resource.ComposeAggregateTestCheckFunc(checks...),
		}},
	})
}

// A private base image (TLS registry, htpasswd) is pulled with the provider's
// registry_auth through the BuildKit session: the daemon itself has no credentials.
func TestAccBuild_privateBase(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	dir := writeContext(t, map[string]string{
		"Dockerfile": fmt.Sprintf("FROM %s\nRUN echo private-base > /base\nUSER 65534\n", testEnv.TLSBaseImage),
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: buildConfig(dir, fmt.Sprintf(`  tags = ["%s:v1"]`, repo)),
			Check:  checkTagsMatchRegistry("prodimage_build.app", repo+":v1"),
		}},
	})
}

// Unknown target, a missing context and Dockerfile syntax errors fail the plan, with the
// file and line, before anything is built.
func TestAccBuild_planTimeErrors(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	dir := writeContext(t, map[string]string{
		"Dockerfile":      fmt.Sprintf("FROM %s AS base\nRUN true\n\nFORM base AS final\nRUN true\n", testEnv.BaseImage),
		"good/Dockerfile": fmt.Sprintf("FROM %s AS base\nRUN true\nFROM base AS final\n", testEnv.BaseImage),
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      buildConfig(dir, fmt.Sprintf(`  tags = ["%s:v1"]`, repo)),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Invalid Dockerfile.*Dockerfile:4:.*FORM`),
		}, {
			Config:      buildConfig(filepath.Join(dir, "good"), fmt.Sprintf(`  tags = ["%s:v1"]`+"\n  target = \"prod\"", repo)),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Unknown Build Target.*"prod" not found; stages: base, final`),
		}, {
			Config:      buildConfig(filepath.Join(dir, "missing"), fmt.Sprintf(`  tags = ["%s:v1"]`, repo)),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Invalid Build Context.*` + regexp.QuoteMeta(filepath.Join(dir, "missing"))),
		}, {
			Config: buildConfig(filepath.Join(dir, "good"), fmt.Sprintf(`  tags = ["%s:v1"]
  secrets = { token = { env = "A", file = "/b" } }`, repo)),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Invalid Build Secret.*"token" must set exactly one of value, env or file`),
		}},
	})
}

// A build that outlives timeouts.create is cancelled and reported; nothing is recorded.
func TestAccBuild_timeout(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	dir := writeContext(t, map[string]string{
		"Dockerfile": fmt.Sprintf("FROM %s\nRUN i=0; while [ $i -lt 120 ]; do sleep 1; i=$((i+1)); done\n", testEnv.BaseImage),
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: buildConfig(dir, fmt.Sprintf(`  tags = ["%s:v1"]
  timeouts {
    create = "3s"
  }`, repo)),
			ExpectError: regexp.MustCompile(`(?s)Build Timed Out.*timeouts`),
		}},
		CheckDestroy: func(*terraform.State) error {
			if _, err := testEnv.Head(context.Background(), repo+":v1"); err == nil {
				return fmt.Errorf("%s:v1 was pushed by a build that timed out", repo)
			}
			return nil
		},
	})
}

// A repository removed from the registry means the image is gone: the next plan
// recreates it.
func TestAccBuild_repositoryGone(t *testing.T) {
	preCheck(t)
	if testEnv.Dir == "" {
		t.Fatal("this test removes a repository from the registry's storage: it needs the local environment")
	}
	repo := uniqueRepo(t)
	dir := writeContext(t, map[string]string{
		"Dockerfile": fmt.Sprintf("FROM %s\nRUN echo gone > /gone\nUSER 65534\n", testEnv.BaseImage),
	})
	config := buildConfig(dir, fmt.Sprintf(`  tags = ["%s:v1"]`, repo))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
		}, {
			PreConfig: func() {
				// The registry API cannot delete a repository; its storage can.
				path := strings.TrimPrefix(repo, testEnv.Registry+"/")
				must(t, os.RemoveAll(filepath.Join(testEnv.Dir, "registry-http", "docker", "registry", "v2", "repositories", path)))
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("prodimage_build.app", plancheck.ResourceActionCreate)},
			},
			Check: checkTagsMatchRegistry("prodimage_build.app", repo+":v1"),
		}},
	})
}

// ssh forwards an SSH agent to RUN --mount=type=ssh (the step fails without it).
func TestAccBuild_sshAgent(t *testing.T) {
	preCheck(t)
	sock := filepath.Join(t.TempDir(), "agent.sock")
	agent := exec.Command("ssh-agent", "-D", "-a", sock)
	must(t, agent.Start())
	t.Cleanup(func() { _ = agent.Process.Kill(); _ = agent.Wait() })
	for i := 0; i < 50; i++ {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	repo := uniqueRepo(t)
	dir := writeContext(t, map[string]string{
		"Dockerfile": fmt.Sprintf("FROM %s\nRUN --mount=type=ssh test -S \"$SSH_AUTH_SOCK\" && echo forwarded > /ssh-ok\nUSER 65534\n", testEnv.BaseImage),
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: buildConfig(dir, fmt.Sprintf("  tags = [\"%s:v1\"]\n  ssh  = [\"default=%s\"]", repo, sock)),
			Check:  checkTagsMatchRegistry("prodimage_build.app", repo+":v1"),
		}},
	})
}

// A manifest deleted from the registry (tag and all) cannot be re-pointed: the next plan
// rebuilds it.
func TestAccBuild_manifestDeletedOutside(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	dir := writeContext(t, map[string]string{
		"Dockerfile": fmt.Sprintf("FROM %s\nRUN echo deleted > /deleted\nUSER 65534\n", testEnv.BaseImage),
	})
	config := buildConfig(dir, fmt.Sprintf(`  tags = ["%s:v1"]`, repo))
	var first string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check:  captureAttr("prodimage_build.app", "digest", &first),
		}, {
			PreConfig: func() {
				ref, err := testEnv.ParseRef(repo + "@" + first)
				must(t, err)
				must(t, remote.Delete(ref, testEnv.RemoteOptions(context.Background())...))
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("prodimage_build.app", plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue("prodimage_build.app", tfjsonpathOf("digest")),
				},
			},
			Check: checkTagsMatchRegistry("prodimage_build.app", repo+":v1"),
		}, emptyPlanStep(config)},
	})
}
