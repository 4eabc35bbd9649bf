package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// The seeded multi-arch busybox: digest and both platform digests as go-containerregistry
// reads them.
func TestAccImageDataSource_multiArch(t *testing.T) {
	preCheck(t)
	ctx := context.Background()
	ref, err := testEnv.ParseRef(testEnv.BaseImage)
	must(t, err)
	idx, err := remote.Index(ref, testEnv.RemoteOptions(ctx)...)
	must(t, err)
	idxDigest, err := idx.Digest()
	must(t, err)
	im, err := idx.IndexManifest()
	must(t, err)
	want := map[string]knownvalue.Check{}
	for _, m := range im.Manifests {
		want[m.Platform.OS+"/"+m.Platform.Architecture] = knownvalue.StringExact(m.Digest.String())
	}
	repo := strings.SplitN(testEnv.BaseImage, ":1.35", 2)[0]
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: testEnv.ProviderConfig() + fmt.Sprintf(`
data "prodimage_image" "base" {
  ref = %q
}
data "prodimage_image" "arm" {
  ref      = %q
  platform = "linux/arm64"
}
`, testEnv.BaseImage, testEnv.TLSBaseImage),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.prodimage_image.base", tfjsonpath.New("digest"), knownvalue.StringExact(idxDigest.String())),
				statecheck.ExpectKnownValue("data.prodimage_image.base", tfjsonpath.New("image_ref"), knownvalue.StringExact(repo+"@"+idxDigest.String())),
				statecheck.ExpectKnownValue("data.prodimage_image.base", tfjsonpath.New("platform_digests"), knownvalue.MapExact(want)),
				statecheck.ExpectKnownValue("data.prodimage_image.base", tfjsonpath.New("media_type"), knownvalue.StringExact("application/vnd.oci.image.index.v1+json")),
				statecheck.ExpectKnownValue("data.prodimage_image.base", tfjsonpath.New("cmd"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("sh")})),
				statecheck.ExpectKnownValue("data.prodimage_image.base", tfjsonpath.New("env_names"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("PATH")})),
				statecheck.ExpectKnownValue("data.prodimage_image.base", tfjsonpath.New("layers"), knownvalue.Int64Exact(1)),
				// Private TLS registry through registry_auth, one platform chosen.
				statecheck.ExpectKnownValue("data.prodimage_image.arm", tfjsonpath.New("platform"), knownvalue.StringExact("linux/arm64")),
				statecheck.ExpectKnownValue("data.prodimage_image.arm", tfjsonpath.New("platform_digests"),
					knownvalue.MapExact(map[string]knownvalue.Check{"linux/arm64": want["linux/arm64"]})),
			},
		}},
	})
}

func TestAccImageDataSource_errors(t *testing.T) {
	preCheck(t)
	missing := testEnv.Registry + "/base/busybox:no-such-tag"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      testEnv.ProviderConfig() + fmt.Sprintf("data \"prodimage_image\" \"x\" {\n  ref = %q\n}\n", missing),
			ExpectError: regexp.MustCompile(`(?s)Image Not Found.*` + regexp.QuoteMeta(missing)),
		}, {
			Config: strings.Replace(testEnv.ProviderConfig(), testEnv.TLSPassword, "wrong", 1) +
				fmt.Sprintf("data \"prodimage_image\" \"x\" {\n  ref = %q\n}\n", testEnv.TLSBaseImage),
			ExpectError: regexp.MustCompile(`(?s)Registry Unauthorized.*Tried, in order: provider registry_auth for ` + regexp.QuoteMeta(testEnv.TLSRegistry)),
		}},
	})
}
