package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/prodimage/terraform-provider-prodimage/internal/acctest"
)

// Issue 5, item 2: FROM <registry>/base:1 is pinned at plan; when base:1 moves, the next
// plan shows base_images and the image changing; when it does not, the plan is empty.
func TestAccBuild_pinBaseImages(t *testing.T) {
	preCheck(t)
	ctx := context.Background()
	base := uniqueRepo(t) + "/base:1"
	idx, err := acctest.BusyboxIndex()
	must(t, err)
	must(t, testEnv.PushIndex(ctx, base, idx))
	firstBase, err := testEnv.Head(ctx, base)
	must(t, err)
	var secondBase string

	repo := uniqueRepo(t) + "/app"
	dir := writeContext(t, map[string]string{
		// The ARG default is substituted before pinning, as BuildKit would.
		"Dockerfile": fmt.Sprintf("ARG BASE=%s\nFROM ${BASE}\nRUN echo pinned > /pinned\nUSER 65534\n", base),
	})
	config := buildConfig(dir, fmt.Sprintf(`  tags = ["%s:v1"]`, repo))
	baseRepo := base[:len(base)-2]
	var firstDigest string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("prodimage_build.app", tfjsonpathOf("base_images"), knownvalue.MapExact(map[string]knownvalue.Check{
					base: knownvalue.StringExact(baseRepo + "@" + firstBase.Digest.String()),
				})),
			},
			Check: captureAttr("prodimage_build.app", "digest", &firstDigest),
		}, emptyPlanStep(config), {
			PreConfig: func() {
				img, err := acctest.BusyboxImage("linux/amd64")
				must(t, err)
				must(t, testEnv.PushImage(ctx, base, img))
				d, err := testEnv.Head(ctx, base)
				must(t, err)
				secondBase = baseRepo + "@" + d.Digest.String()
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("prodimage_build.app", plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue("prodimage_build.app", tfjsonpathOf("base_images").AtMapKey(base), knownString(&secondBase)),
					plancheck.ExpectUnknownValue("prodimage_build.app", tfjsonpathOf("digest")),
				},
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkAttrDiffers("prodimage_build.app", "digest", &firstDigest),
				func(s *terraform.State) error {
					v, err := stateAttr(s, "prodimage_build.app", "base_images."+base)
					if err != nil {
						return err
					}
					if v != secondBase {
						return fmt.Errorf("base_images[%s] = %s, want %s", base, v, secondBase)
					}
					return nil
				},
			),
		}, emptyPlanStep(config)},
	})
}

// pin_base_images = false builds the Dockerfile as written and records no pins.
func TestAccBuild_pinBaseImagesOff(t *testing.T) {
	preCheck(t)
	repo := uniqueRepo(t)
	dir := writeContext(t, map[string]string{
		"Dockerfile": fmt.Sprintf("FROM %s\nRUN echo unpinned > /unpinned\nUSER 65534\n", testEnv.BaseImage),
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: buildConfig(dir, fmt.Sprintf("  tags = [\"%s:v1\"]\n  pin_base_images = false", repo)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("prodimage_build.app", tfjsonpathOf("base_images"), knownvalue.MapSizeExact(0)),
			},
			Check: checkTagsMatchRegistry("prodimage_build.app", repo+":v1"),
		}},
	})
}
