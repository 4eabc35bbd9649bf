package registry

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
)

// Auth is one explicit credential, as the provider's registry_auth block gives it.
type Auth struct {
	// Address is a registry host ("registry.example.com:5000"), optionally with a
	// scheme or path ("https://index.docker.io/v1/"); Docker Hub's aliases are folded.
	Address  string
	Username string
	Password string
}

// Source names where a credential came from, for diagnostics. It never holds a secret.
type Source string

const (
	SourceExplicit     Source = "provider registry_auth"
	SourceDockerConfig Source = "Docker config"
	SourceAnonymous    Source = "anonymous"
)

// NormalizeHost reduces a registry address to the host key go-containerregistry uses:
// scheme and path dropped, Docker Hub's names folded to "index.docker.io".
func NormalizeHost(address string) string {
	a := strings.TrimSpace(address)
	if i := strings.Index(a, "://"); i >= 0 {
		a = a[i+3:]
	}
	if i := strings.Index(a, "/"); i >= 0 {
		a = a[:i]
	}
	a = strings.ToLower(a)
	if reg, err := name.NewRegistry(a); err == nil {
		return reg.RegistryStr()
	}
	return a
}

// keychain resolves explicit credentials first, then the Docker config, then anonymous.
type keychain struct {
	explicit map[string]Auth
}

func newKeychain(auths []Auth) (*keychain, error) {
	k := &keychain{explicit: map[string]Auth{}}
	for i, a := range auths {
		host := NormalizeHost(a.Address)
		// An empty name would otherwise fold into Docker Hub's default registry.
		if strings.TrimSpace(a.Address) == "" || host == "" {
			return nil, fmt.Errorf("registry_auth[%d]: address is empty; set it to the registry host, e.g. \"registry.example.com\"", i)
		}
		if _, dup := k.explicit[host]; dup {
			return nil, fmt.Errorf("registry_auth[%d]: a second entry for %q; keep one per registry", i, host)
		}
		k.explicit[host] = a
	}
	return k, nil
}

func (k *keychain) Resolve(r authn.Resource) (authn.Authenticator, error) {
	return k.ResolveContext(context.Background(), r)
}

func (k *keychain) ResolveContext(ctx context.Context, r authn.Resource) (authn.Authenticator, error) {
	a, _, err := k.resolve(ctx, r.RegistryStr())
	return a, err
}

func (k *keychain) resolve(ctx context.Context, host string) (authn.Authenticator, Source, error) {
	host = NormalizeHost(host)
	if a, ok := k.explicit[host]; ok {
		return &authn.Basic{Username: a.Username, Password: a.Password}, SourceExplicit, nil
	}
	reg, err := name.NewRegistry(host)
	if err != nil {
		return authn.Anonymous, SourceAnonymous, nil
	}
	auth, err := authn.Resolve(ctx, authn.DefaultKeychain, reg)
	if err != nil {
		return nil, SourceDockerConfig, fmt.Errorf("reading credentials for %s from %s: %w", host, dockerConfigPath(), err)
	}
	if auth != authn.Anonymous {
		return auth, SourceDockerConfig, nil
	}
	return authn.Anonymous, SourceAnonymous, nil
}

// sourcesTried describes, in order, every place a credential for host was looked for.
func (k *keychain) sourcesTried(host string) []string {
	host = NormalizeHost(host)
	var out []string
	if _, ok := k.explicit[host]; ok {
		out = append(out, fmt.Sprintf("%s for %s", SourceExplicit, host))
		return out
	}
	out = append(out, fmt.Sprintf("%s (no entry for %s)", SourceExplicit, host))
	out = append(out, fmt.Sprintf("%s %s and its credential helpers", SourceDockerConfig, dockerConfigPath()))
	out = append(out, string(SourceAnonymous))
	return out
}

func dockerConfigPath() string {
	if d := os.Getenv("DOCKER_CONFIG"); d != "" {
		return filepath.Join(d, "config.json")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "~/.docker/config.json"
	}
	return filepath.Join(home, ".docker", "config.json")
}
