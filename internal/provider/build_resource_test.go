package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// writeContext lays out a build context: files maps relative paths to contents.
func writeContext(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// uniqueRepo gives each test its own repository in the plain registry.
func uniqueRepo(t *testing.T) string {
	name := strings.ToLower(regexp.MustCompile(`[^a-zA-Z0-9]+`).ReplaceAllString(t.Name(), "-"))
	return fmt.Sprintf("%s/acc/%s", testEnv.Registry, strings.Trim(name, "-"))
}

// stateAttr reads one attribute of a resource from the Terraform state.
func stateAttr(s *terraform.State, res, attr string) (string, error) {
	rs, ok := s.RootModule().Resources[res]
	if !ok {
		return "", fmt.Errorf("%s not in state", res)
	}
	v, ok := rs.Primary.Attributes[attr]
	if !ok {
		return "", fmt.Errorf("%s has no attribute %s", res, attr)
	}
	return v, nil
}

// checkTagsMatchRegistry asserts that digest is what every tag points at in the registry.
func checkTagsMatchRegistry(res string, tags ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		digest, err := stateAttr(s, res, "digest")
		if err != nil {
			return err
		}
		for _, tag := range tags {
			d, err := testEnv.Head(context.Background(), tag)
			if err != nil {
				return fmt.Errorf("HEAD %s: %w", tag, err)
			}
			if d.Digest.String() != digest {
				return fmt.Errorf("%s points at %s in the registry, state digest is %s", tag, d.Digest, digest)
			}
		}
		return nil
	}
}

// checkIndexMatches asserts that platform_digests equals the platforms of the pushed index,
// and that the config of every platform image carries the wanted labels.
func checkIndexMatches(res, tag string, wantLabels map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ctx := context.Background()
		ref, err := testEnv.ParseRef(tag)
		if err != nil {
			return err
		}
		idx, err := remote.Index(ref, testEnv.RemoteOptions(ctx)...)
		if err != nil {
			return fmt.Errorf("reading index %s: %w", tag, err)
		}
		im, err := idx.IndexManifest()
		if err != nil {
			return err
		}
		seen := 0
		for _, m := range im.Manifests {
			if m.Platform == nil || m.Platform.OS == "unknown" {
				continue
			}
			key := m.Platform.OS + "/" + m.Platform.Architecture
			got, err := stateAttr(s, res, "platform_digests."+key)
			if err != nil {
				return err
			}
			if got != m.Digest.String() {
				return fmt.Errorf("platform_digests[%s] = %s, index says %s", key, got, m.Digest)
			}
			seen++
			img, err := idx.Image(m.Digest)
			if err != nil {
				return err
			}
			cf, err := img.ConfigFile()
			if err != nil {
				return err
			}
			if cf.Architecture != m.Platform.Architecture {
				return fmt.Errorf("image %s has architecture %s, index entry says %s", m.Digest, cf.Architecture, m.Platform.Architecture)
			}
			for k, v := range wantLabels {
				got, ok := cf.Config.Labels[k]
				if !ok {
					return fmt.Errorf("image %s (%s) lacks label %s; labels: %v", m.Digest, key, k, cf.Config.Labels)
				}
				if v != "*" && got != v {
					return fmt.Errorf("image %s label %s = %q, want %q", m.Digest, k, got, v)
				}
			}
		}
		if seen != 2 {
			return fmt.Errorf("index %s has %d platform images, want 2", tag, seen)
		}
		return nil
	}
}

func TestAccBuild_multiPlatform(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	baseDesc, err := testEnv.Head(context.Background(), testEnv.BaseImage)
	if err != nil {
		t.Fatal(err)
	}
	dir := writeContext(t, map[string]string{
		"Dockerfile": fmt.Sprintf(`FROM %s
ARG GREETING=hello
RUN echo "$GREETING from $(uname -m)" > /greeting && mkdir -p /srv && chown 65534 /srv
COPY --chown=65534 app.txt /srv/app.txt
USER 65534
CMD ["cat", "/greeting"]
`, testEnv.BaseImage),
		"app.txt": "v1\n",
	})
	config := testEnv.ProviderConfig() + fmt.Sprintf(`
resource "prodimage_build" "app" {
  context    = %q
  platforms  = ["linux/amd64", "linux/arm64"]
  tags       = ["%s:1.0.0", "%s:stable"]
  build_args = { GREETING = "hi" }
  labels     = { "com.example.team" = "platform" }
}
`, dir, repo, repo)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("prodimage_build.app", tfjsonpath.New("image_ref"),
					knownvalue.StringRegexp(regexp.MustCompile("^"+regexp.QuoteMeta(repo)+`@sha256:[0-9a-f]{64}$`))),
				statecheck.ExpectKnownValue("prodimage_build.app", tfjsonpath.New("refs").AtMapKey(repo+":stable"),
					knownvalue.StringRegexp(regexp.MustCompile("^"+regexp.QuoteMeta(repo)+`:stable@sha256:[0-9a-f]{64}$`))),
				statecheck.ExpectKnownValue("prodimage_build.app", tfjsonpath.New("context_digest"),
					knownvalue.StringRegexp(regexp.MustCompile(`^sha256:[0-9a-f]{64}$`))),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkTagsMatchRegistry("prodimage_build.app", repo+":1.0.0", repo+":stable"),
				checkIndexMatches("prodimage_build.app", repo+":1.0.0", map[string]string{
					"com.example.team":                 "platform",
					"org.opencontainers.image.version": "1.0.0",
					"org.opencontainers.image.created": "*",
					// Pinned at plan: the label names the digest the image was built from.
					"org.opencontainers.image.base.name":   testEnv.BaseImage + "@" + baseDesc.Digest.String(),
					"org.opencontainers.image.base.digest": baseDesc.Digest.String(),
				}),
				resource.TestCheckResourceAttr("prodimage_build.app", "platform_digests.%", "2"),
			),
		}, emptyPlanStep(config)},
	})
}

func tfjsonpathOf(attr string) tfjsonpath.Path { return tfjsonpath.New(attr) }

// knownString checks against a value captured in an earlier step.
func knownString(want *string) knownvalue.Check { return capturedString{want} }

type capturedString struct{ want *string }

func (c capturedString) CheckValue(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("expected a string, got %T", v)
	}
	if s != *c.want {
		return fmt.Errorf("expected %s, got %s", *c.want, s)
	}
	return nil
}

func (c capturedString) String() string { return *c.want }

// The provider's default_labels reach every image; a resource's labels win.
func TestAccBuild_defaultLabels(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	dir := writeContext(t, map[string]string{
		"Dockerfile": fmt.Sprintf("FROM %s\nRUN echo labelled > /l\nUSER 65534\n", testEnv.BaseImage),
	})
	provider := strings.Replace(testEnv.ProviderConfig(), "  insecure_registries",
		"  default_labels = {\n    \"org.opencontainers.image.vendor\" = \"Example Corp\"\n    \"com.example.team\" = \"default\"\n  }\n  insecure_registries", 1)
	config := provider + fmt.Sprintf(`
resource "prodimage_build" "app" {
  context   = %q
  platforms = ["linux/amd64", "linux/arm64"]
  tags      = ["%s:v1"]
  labels    = { "com.example.team" = "payments" }
}
`, dir, repo)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check: checkIndexMatches("prodimage_build.app", repo+":v1", map[string]string{
				"org.opencontainers.image.vendor": "Example Corp",
				"com.example.team":                "payments",
			}),
		}},
	})
}
