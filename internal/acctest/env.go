package acctest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/prodimage/terraform-provider-prodimage/internal/build"
)

// Env is a running test environment. Fields hold what tests put in HCL.
type Env struct {
	Dir string // scratch folder, removed by Stop unless PRODIMAGE_TEST_KEEP is set

	BuildkitUnix string // unix:///…/buildkitd.sock
	BuildkitTCP  string // tcp://127.0.0.1:PORT, mutual TLS
	PKI          *PKI   // CA, server and client certificates for BuildkitTCP and TLSRegistry

	Registry    string // host:port of the plain-HTTP registry, no auth
	TLSRegistry string // host:port of the TLS registry with htpasswd auth
	TLSUser     string
	TLSPassword string

	// BaseImage is a multi-arch (linux/amd64, linux/arm64) busybox index in Registry.
	BaseImage string
	// TLSBaseImage is the same index in TLSRegistry.
	TLSBaseImage string

	BuildctlPath string

	daemons []*daemon
	keepDir bool
}

// Config holds how to start; zero values pick defaults.
type Config struct {
	// StartupTimeout bounds each daemon's start. Default 60s.
	StartupTimeout time.Duration
	// Dir keeps the daemons' state (registry storage, BuildKit cache) across runs, as
	// the demo does. Default: a new temporary folder, removed by Stop.
	Dir string
	// RegistryPort fixes the plain registry's port, so that references recorded in a
	// Terraform state stay valid across runs. Default: a free port.
	RegistryPort int
}

// Start brings the environment up. With PRODIMAGE_TEST_BUILDKIT_HOST and
// PRODIMAGE_TEST_REGISTRY set, it uses those instead of starting its own (the TLS parts
// are then taken from PRODIMAGE_TEST_* variables too, see external.go).
func Start(ctx context.Context, cfg Config) (_ *Env, err error) {
	if cfg.StartupTimeout == 0 {
		cfg.StartupTimeout = 60 * time.Second
	}
	if os.Getenv("PRODIMAGE_TEST_BUILDKIT_HOST") != "" {
		return external(ctx)
	}
	dir, keep := cfg.Dir, cfg.Dir != ""
	if keep {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
	} else if dir, err = os.MkdirTemp("", "prodimage-acc-"); err != nil {
		return nil, err
	}
	e := &Env{Dir: dir, keepDir: keep, TLSUser: "prodimage", TLSPassword: "acc-" + randomHex(12)}
	defer func() {
		if err != nil {
			e.Stop()
		}
	}()
	if e.PKI, err = newPKI(dir); err != nil {
		return nil, fmt.Errorf("generating test certificates: %w", err)
	}
	bundle, err := trustBundle(dir, e.PKI.CACert)
	if err != nil {
		return nil, err
	}
	// The provider runs inside the test binary: this makes its registry client trust the
	// TLS registry the way a user's machine trusts a corporate CA.
	os.Setenv("SSL_CERT_FILE", bundle)

	if err := e.startRegistries(ctx, cfg); err != nil {
		return nil, err
	}
	if err := e.startBuildkit(ctx, cfg); err != nil {
		return nil, err
	}
	if err := e.seed(ctx); err != nil {
		return nil, fmt.Errorf("seeding base images: %w", err)
	}
	return e, nil
}

// Stop ends every daemon and removes the scratch folder.
func (e *Env) Stop() {
	for i := len(e.daemons) - 1; i >= 0; i-- {
		e.daemons[i].stop()
	}
	e.daemons = nil
	if e.Dir != "" && !e.keepDir && os.Getenv("PRODIMAGE_TEST_KEEP") == "" {
		// buildkitd's root holds overlay mounts only while it runs; it has stopped now.
		_ = os.RemoveAll(e.Dir)
	}
}

func (e *Env) startRegistries(ctx context.Context, cfg Config) error {
	bin, err := findBinary("docker-registry")
	if err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(e.TLSPassword), bcrypt.MinCost)
	if err != nil {
		return err
	}
	htpasswd := filepath.Join(e.Dir, "htpasswd")
	if err := os.WriteFile(htpasswd, []byte(e.TLSUser+":"+string(hash)+"\n"), 0o600); err != nil {
		return err
	}
	for _, tlsOn := range []bool{false, true} {
		port, err := freePort()
		if err != nil {
			return err
		}
		if !tlsOn && cfg.RegistryPort != 0 {
			port = cfg.RegistryPort
		}
		name := "registry-http"
		if tlsOn {
			name = "registry-tls"
		}
		host := fmt.Sprintf("127.0.0.1:%d", port)
		conf := fmt.Sprintf(`version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: %s
  delete:
    enabled: true
http:
  addr: %s
  secret: %s
`, filepath.Join(e.Dir, name), host, randomHex(16))
		if tlsOn {
			conf += fmt.Sprintf("  tls:\n    certificate: %s\n    key: %s\nauth:\n  htpasswd:\n    realm: prodimage-test\n    path: %s\n",
				e.PKI.ServerCert, e.PKI.ServerKey, htpasswd)
		}
		confPath := filepath.Join(e.Dir, name+".yml")
		if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
			return err
		}
		d, err := startDaemon(name, filepath.Join(e.Dir, name+".log"), []string{bin, "serve", confPath}, nil)
		if err != nil {
			return err
		}
		e.daemons = append(e.daemons, d)
		url := "http://" + host + "/v2/"
		client := http.DefaultClient
		if tlsOn {
			url = "https://" + host + "/v2/"
			pool := x509.NewCertPool()
			ca, _ := os.ReadFile(e.PKI.CACert)
			pool.AppendCertsFromPEM(ca)
			client = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
		}
		err = d.waitFor(ctx, cfg.StartupTimeout, func(ctx context.Context) error {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusUnauthorized {
				return fmt.Errorf("GET %s: %s", url, resp.Status)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if tlsOn {
			e.TLSRegistry = host
		} else {
			e.Registry = host
		}
	}
	return nil
}

func (e *Env) startBuildkit(ctx context.Context, cfg Config) error {
	bin, err := findBinary("buildkitd")
	if err != nil {
		return err
	}
	if e.BuildctlPath, err = findBinary("buildctl"); err != nil {
		return err
	}
	if _, err := findBinary("runc"); err != nil {
		return err
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	sock := filepath.Join(e.Dir, "buildkitd.sock")
	_ = os.Remove(sock) // left by a run that was killed
	e.BuildkitUnix = "unix://" + sock
	e.BuildkitTCP = fmt.Sprintf("tcp://127.0.0.1:%d", port)
	conf := fmt.Sprintf(`root = %q
[log]
  format = "text"
[grpc]
  address = [%q, %q]
  [grpc.tls]
    cert = %q
    key = %q
    ca = %q
[worker.oci]
  enabled = true
  snapshotter = "overlayfs"
  gc = false
[worker.containerd]
  enabled = false
[registry.%q]
  http = true
[registry.%q]
  http = false
  ca = [%q]
`, filepath.Join(e.Dir, "buildkit-root"), e.BuildkitUnix, e.BuildkitTCP,
		e.PKI.ServerCert, e.PKI.ServerKey, e.PKI.CACert,
		e.Registry, e.TLSRegistry, e.PKI.CACert)
	confPath := filepath.Join(e.Dir, "buildkitd.toml")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		return err
	}
	argv := []string{bin, "--config", confPath}
	// buildkitd finds runc on PATH; make sure the one we found is there.
	runc, _ := findBinary("runc")
	env := []string{"PATH=" + filepath.Dir(runc) + string(os.PathListSeparator) + os.Getenv("PATH")}
	d, err := startDaemon("buildkitd", filepath.Join(e.Dir, "buildkitd.log"), argv, env)
	if err != nil {
		return err
	}
	e.daemons = append(e.daemons, d)
	b, err := build.NewBuilder(build.ConnectOptions{Address: e.BuildkitUnix})
	if err != nil {
		return err
	}
	defer b.Close()
	return d.waitFor(ctx, cfg.StartupTimeout, func(ctx context.Context) error {
		if _, err := os.Stat(sock); err != nil {
			return err
		}
		desc, err := b.Describe(ctx)
		if err != nil {
			return err
		}
		if len(desc.Workers) == 0 {
			return errors.New("no workers yet")
		}
		return nil
	})
}

// ProviderConfig is a provider block that reaches this environment over the unix socket,
// with the TLS registry's credentials and the plain registry marked insecure.
func (e *Env) ProviderConfig() string {
	return e.ProviderConfigWith(e.BuildkitUnix, "")
}

// ProviderConfigWith renders a provider block with the given builder address and extra
// HCL inside the builder block (e.g. a tls block).
func (e *Env) ProviderConfigWith(address, builderExtra string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "provider \"prodimage\" {\n  builder {\n    address = %q\n", address)
	if builderExtra != "" {
		b.WriteString(builderExtra)
		b.WriteString("\n")
	}
	b.WriteString("  }\n")
	if e.TLSRegistry != "" {
		fmt.Fprintf(&b, "  registry_auth {\n    address  = %q\n    username = %q\n    password = %q\n  }\n", e.TLSRegistry, e.TLSUser, e.TLSPassword)
	}
	fmt.Fprintf(&b, "  insecure_registries = [%q]\n}\n", e.Registry)
	return b.String()
}

// TLSBlock is an HCL tls block with the client certificate, for BuildkitTCP.
func (e *Env) TLSBlock() string {
	return fmt.Sprintf("    tls {\n      ca_cert = %q\n      cert    = %q\n      key     = %q\n    }", e.PKI.CACert, e.PKI.ClientCert, e.PKI.ClientKey)
}
