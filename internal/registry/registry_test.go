package registry

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

func TestNormalizeHost(t *testing.T) {
	for in, want := range map[string]string{
		"registry.example.com":          "registry.example.com",
		"https://registry.example.com/": "registry.example.com",
		"Registry.Example.com:5000":     "registry.example.com:5000",
		"docker.io":                     "index.docker.io",
		"https://index.docker.io/v1/":   "index.docker.io",
		"127.0.0.1:5000":                "127.0.0.1:5000",
	} {
		if got := NormalizeHost(in); got != want {
			t.Errorf("NormalizeHost(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKeychainPrecedence(t *testing.T) {
	// A Docker config with a credential for two hosts; an explicit entry for one of them.
	dir := t.TempDir()
	cfg := `{"auths":{"a.example.com":{"auth":"ZnJvbWZpbGU6ZmlsZXBhc3M="},"b.example.com":{"auth":"ZnJvbWZpbGU6ZmlsZXBhc3M="}}}`
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", dir)
	c, err := New(Options{Auth: []Auth{{Address: "https://a.example.com", Username: "explicit", Password: "p"}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		host, user string
		src        Source
	}{
		{"a.example.com", "explicit", SourceExplicit},
		{"b.example.com", "fromfile", SourceDockerConfig},
		{"c.example.com", "", SourceAnonymous},
	}
	for _, tt := range tests {
		got, src, err := c.Credentials(ctx, tt.host)
		if err != nil {
			t.Fatalf("Credentials(%s): %v", tt.host, err)
		}
		if got.Username != tt.user || src != tt.src {
			t.Errorf("Credentials(%s) = user %q from %s, want %q from %s", tt.host, got.Username, src, tt.user, tt.src)
		}
	}
	tried := strings.Join(c.SourcesTried("c.example.com"), "; ")
	for _, w := range []string{"provider registry_auth (no entry for c.example.com)", filepath.Join(dir, "config.json"), "anonymous"} {
		if !strings.Contains(tried, w) {
			t.Errorf("SourcesTried = %q, want it to mention %q", tried, w)
		}
	}
	if strings.Contains(tried, "p") && strings.Contains(tried, "filepass") {
		t.Error("SourcesTried must never contain a password")
	}
}

func TestKeychainRejectsDuplicatesAndEmpty(t *testing.T) {
	if _, err := New(Options{Auth: []Auth{{Address: "r.io"}, {Address: "https://r.io/"}}}); err == nil || !strings.Contains(err.Error(), "a second entry") {
		t.Errorf("duplicate registry_auth: err = %v", err)
	}
	if _, err := New(Options{Auth: []Auth{{Address: " "}}}); err == nil || !strings.Contains(err.Error(), "address is empty") {
		t.Errorf("empty address: err = %v", err)
	}
}

// inMemory serves go-containerregistry's in-memory registry; auth, when set, demands
// basic credentials.
func inMemory(t *testing.T, user, pass string) string {
	t.Helper()
	h := ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)))
	if user != "" {
		inner := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u, p, ok := r.BasicAuth()
			if !ok || u != user || p != pass {
				w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			inner.ServeHTTP(w, r)
		})
	}
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return strings.TrimPrefix(s.URL, "http://")
}

func pushIndex(t *testing.T, ref string, opts ...remote.Option) v1.ImageIndex {
	t.Helper()
	var idx v1.ImageIndex = empty.Index
	for _, arch := range []string{"amd64", "arm64"} {
		img, err := random.Image(64, 2)
		if err != nil {
			t.Fatal(err)
		}
		cf, _ := img.ConfigFile()
		cf = cf.DeepCopy()
		cf.OS, cf.Architecture = "linux", arch
		cf.Config.Env = []string{"PATH=/bin", "API_TOKEN=do-not-read"}
		cf.Config.User = "10001"
		img, _ = mutate.ConfigFile(img, cf)
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: arch}}})
	}
	r, _ := name.ParseReference(ref)
	if err := remote.WriteIndex(r, idx, opts...); err != nil {
		t.Fatal(err)
	}
	return idx
}

func TestDescribeInspectAndErrors(t *testing.T) {
	host := inMemory(t, "", "")
	ref := host + "/team/app:1"
	idx := pushIndex(t, ref)
	want, _ := idx.Digest()
	c, err := New(Options{Insecure: []string{host}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	img, err := c.Describe(ctx, ref, "")
	if err != nil {
		t.Fatal(err)
	}
	if img.Digest != want.String() || len(img.Platforms) != 2 {
		t.Fatalf("Describe(%s) = digest %s with %d platforms, want %s with 2", ref, img.Digest, len(img.Platforms), want)
	}
	if got := strings.Join(img.Platforms[0].EnvNames, ","); got != "PATH,API_TOKEN" {
		t.Errorf("EnvNames = %q, want names only", got)
	}
	one, err := c.Describe(ctx, ref, "linux/arm64/v8")
	if err != nil || len(one.Platforms) != 1 || one.Platforms[0].Platform != "linux/arm64" {
		t.Errorf("Describe(linux/arm64/v8) = %+v, %v; want only linux/arm64", one, err)
	}
	if _, err := c.Describe(ctx, ref, "linux/s390x"); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "linux/amd64, linux/arm64") {
		t.Errorf("Describe(missing platform) = %v, want ErrNotFound listing the platforms", err)
	}
	m, err := c.Inspect(ctx, ref)
	if err != nil || !m.IsIndex || len(m.Platforms) != 2 {
		t.Errorf("Inspect = %+v, %v", m, err)
	}
	if _, err := c.Head(ctx, host+"/team/app:nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Head(missing tag) = %v, want ErrNotFound", err)
	}
	if ok, err := c.RepositoryExists(ctx, host+"/team/app"); err != nil || !ok {
		t.Errorf("RepositoryExists(existing) = %v, %v", ok, err)
	}
	// Re-point a tag, then delete by digest.
	if err := c.Tag(ctx, host+"/team/app@"+want.String(), host+"/team/app:stable"); err != nil {
		t.Fatal(err)
	}
	if d, err := c.Head(ctx, host+"/team/app:stable"); err != nil || d.Digest != want {
		t.Errorf("after Tag, stable = %v, %v", d, err)
	}
	if err := c.Delete(ctx, host+"/team/app@"+want.String()); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(ctx, host+"/team/app@"+want.String()); err != nil {
		t.Errorf("deleting twice must not fail: %v", err)
	}
}

func TestUnauthorizedNamesSources(t *testing.T) {
	host := inMemory(t, "u", "right")
	pushIndex(t, host+"/p/app:1", remote.WithAuth(&authn.Basic{Username: "u", Password: "right"}))
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	c, _ := New(Options{Insecure: []string{host}, Auth: []Auth{{Address: host, Username: "u", Password: "wrong"}}})
	_, err := c.Head(context.Background(), host+"/p/app:1")
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("Head with a wrong password = %v, want ErrUnauthorized", err)
	}
	if !strings.Contains(err.Error(), "provider registry_auth for "+host) || strings.Contains(err.Error(), "wrong") {
		t.Errorf("error %q should name the source tried and never the password", err)
	}
	good, _ := New(Options{Insecure: []string{host}, Auth: []Auth{{Address: host, Username: "u", Password: "right"}}})
	if _, err := good.Head(context.Background(), host+"/p/app:1"); err != nil {
		t.Errorf("Head with the right password: %v", err)
	}
}

// insecure_registries also covers TLS registries whose certificate cannot be verified.
func TestInsecureTLSRegistry(t *testing.T) {
	s := httptest.NewTLSServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))))
	defer s.Close()
	host := strings.TrimPrefix(s.URL, "https://")
	img, err := random.Image(32, 1)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := name.ParseReference(host + "/tls/app:1")
	if err := remote.Write(r, img, remote.WithTransport(s.Client().Transport)); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	strict, _ := New(Options{})
	if _, err := strict.Head(ctx, host+"/tls/app:1"); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("Head on a self-signed registry not listed as insecure = %v, want a certificate error", err)
	}
	lax, _ := New(Options{Insecure: []string{host}})
	if _, err := lax.Head(ctx, host+"/tls/app:1"); err != nil {
		t.Errorf("Head on a self-signed registry listed in insecure_registries = %v, want success", err)
	}
}
