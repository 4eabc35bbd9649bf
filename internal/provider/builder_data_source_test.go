package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const builderDataConfig = `
data "prodimage_builder" "this" {}
`

func builderPlatformChecks() []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.prodimage_builder.this", tfjsonpath.New("platforms"),
			knownvalue.ListPartial(map[int]knownvalue.Check{0: knownvalue.StringExact("linux/amd64")})),
		statecheck.ExpectKnownValue("data.prodimage_builder.this", tfjsonpath.New("platforms"),
			knownvalue.SetPartial([]knownvalue.Check{knownvalue.StringExact("linux/arm64")})),
		statecheck.ExpectKnownValue("data.prodimage_builder.this", tfjsonpath.New("buildkit_version"),
			knownvalue.StringRegexp(regexp.MustCompile(`^v0\.34\.`))),
	}
}

func TestAccBuilderDataSource_unixSocket(t *testing.T) {
	preCheck(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:            testEnv.ProviderConfig() + builderDataConfig,
			ConfigStateChecks: builderPlatformChecks(),
		}},
	})
}

func TestAccBuilderDataSource_tcpMutualTLS(t *testing.T) {
	preCheck(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: testEnv.ProviderConfigWith(testEnv.BuildkitTCP, testEnv.TLSBlock()) + builderDataConfig,
			ConfigStateChecks: append(builderPlatformChecks(),
				statecheck.ExpectKnownValue("data.prodimage_builder.this", tfjsonpath.New("address"), knownvalue.StringExact(testEnv.BuildkitTCP))),
		}},
	})
}

func TestAccBuilderDataSource_unreachable(t *testing.T) {
	preCheck(t)
	addr := "unix://" + t.TempDir() + "/no-buildkitd.sock"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      testEnv.ProviderConfigWith(addr, "") + builderDataConfig,
			ExpectError: regexp.MustCompile(`(?s)BuildKit Unreachable.*` + regexp.QuoteMeta(addr) + `.*BUILDKIT_HOST`),
		}},
	})
}

func TestAccBuilderDataSource_tlsMissingKey(t *testing.T) {
	preCheck(t)
	tls := `    tls {
      ca_cert = "` + testEnv.PKI.CACert + `"
      cert    = "` + testEnv.PKI.ClientCert + `"
    }`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      testEnv.ProviderConfigWith(testEnv.BuildkitTCP, tls) + builderDataConfig,
			ExpectError: regexp.MustCompile(`(?s)Invalid Provider Configuration.*tls is missing key`),
		}},
	})
}

// Without a tls block a tcp daemon that demands mutual TLS is unreachable, and says so.
func TestAccBuilderDataSource_tcpWithoutTLS(t *testing.T) {
	preCheck(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      testEnv.ProviderConfigWith(testEnv.BuildkitTCP, "") + builderDataConfig,
			ExpectError: regexp.MustCompile(`BuildKit Unreachable`),
		}},
	})
}
