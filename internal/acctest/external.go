package acctest

import (
	"context"
	"errors"
	"os"
)

// external describes a user-supplied environment:
//
//	PRODIMAGE_TEST_BUILDKIT_HOST      unix:// address of your buildkitd (required)
//	PRODIMAGE_TEST_BUILDKIT_TCP       tcp:// address with mutual TLS (optional)
//	PRODIMAGE_TEST_TLS_CA, _CERT, _KEY client TLS files for it
//	PRODIMAGE_TEST_REGISTRY           host:port of a plain-HTTP registry your buildkitd can push to
//	PRODIMAGE_TEST_TLS_REGISTRY, _TLS_USER, _TLS_PASSWORD  a TLS registry with basic auth (optional)
//
// The base images are seeded into those registries as they are for a local environment.
func external(ctx context.Context) (*Env, error) {
	e := &Env{
		BuildkitUnix: os.Getenv("PRODIMAGE_TEST_BUILDKIT_HOST"),
		BuildkitTCP:  os.Getenv("PRODIMAGE_TEST_BUILDKIT_TCP"),
		Registry:     os.Getenv("PRODIMAGE_TEST_REGISTRY"),
		TLSRegistry:  os.Getenv("PRODIMAGE_TEST_TLS_REGISTRY"),
		TLSUser:      os.Getenv("PRODIMAGE_TEST_TLS_USER"),
		TLSPassword:  os.Getenv("PRODIMAGE_TEST_TLS_PASSWORD"),
	}
	if e.Registry == "" {
		return nil, errors.New("PRODIMAGE_TEST_BUILDKIT_HOST is set but PRODIMAGE_TEST_REGISTRY is not; set both to use your own environment, or neither to start a local one")
	}
	if ca := os.Getenv("PRODIMAGE_TEST_TLS_CA"); ca != "" {
		e.PKI = &PKI{CACert: ca, ClientCert: os.Getenv("PRODIMAGE_TEST_TLS_CERT"), ClientKey: os.Getenv("PRODIMAGE_TEST_TLS_KEY")}
	}
	e.BuildctlPath, _ = findBinary("buildctl")
	if err := e.seed(ctx); err != nil {
		return nil, err
	}
	return e, nil
}
