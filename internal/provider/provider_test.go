package provider

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/prodimage/terraform-provider-prodimage/internal/acctest"
)

// testEnv is the real environment, started once for all acceptance tests of this run.
var testEnv *acctest.Env

var testProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"prodimage": providerserver.NewProtocol6WithError(New("test")()),
}

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	if os.Getenv("TF_ACC") == "" {
		return m.Run()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	env, err := acctest.Start(ctx, acctest.Config{})
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "acceptance environment failed to start: %v\n", err)
		return 1
	}
	defer env.Stop()
	testEnv = env
	fmt.Fprintf(os.Stderr, "acceptance environment: buildkit %s and %s, registries %s (http) and %s (tls), base %s; CLI %s\n",
		env.BuildkitUnix, env.BuildkitTCP, env.Registry, env.TLSRegistry, env.BaseImage, os.Getenv("TF_ACC_TERRAFORM_PATH"))
	return m.Run()
}

// preCheck skips acceptance tests in a plain `go test` (no TF_ACC), and fails (never
// skips) one whose environment is missing under TF_ACC: a skipped acceptance test reads
// as green while proving nothing. `make testacc` fails on any skip.
func preCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: run with TF_ACC=1 (make testacc)")
	}
	if testEnv == nil {
		t.Fatal("TF_ACC is set but the acceptance environment did not start")
	}
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH must name the terraform or tofu binary to test with (make testacc sets it)")
	}
}
