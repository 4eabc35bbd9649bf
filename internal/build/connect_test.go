package build

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestConnectOptionsValidate(t *testing.T) {
	tests := []struct {
		name    string
		opts    ConnectOptions
		wantErr []string // substrings; nil means valid
	}{
		{"unix", ConnectOptions{Address: "unix:///run/buildkit/buildkitd.sock"}, nil},
		{"tcp plain", ConnectOptions{Address: "tcp://127.0.0.1:1234"}, nil},
		{"docker-container", ConnectOptions{Address: "docker-container://buildkitd"}, nil},
		{"kube-pod", ConnectOptions{Address: "kube-pod://buildkitd-0"}, nil},
		{"no scheme", ConnectOptions{Address: "127.0.0.1:1234"}, []string{"is not a URL"}},
		{"unknown scheme", ConnectOptions{Address: "ssh2://host"}, []string{`scheme "ssh2"`, "unix://"}},
		{"tls missing everything is reported together", ConnectOptions{Address: "tcp://h:1", TLS: &TLS{}},
			[]string{"missing ca_cert, cert, key"}},
		{"tls missing key", ConnectOptions{Address: "tcp://h:1", TLS: &TLS{CACert: "-----BEGIN x", Cert: "-----BEGIN y"}},
			[]string{"missing key"}},
		{"tls on unix", ConnectOptions{Address: "unix:///s.sock", TLS: &TLS{CACert: "a"}},
			[]string{"not tcp://", "missing cert, key"}},
		{"unreadable files", ConnectOptions{Address: "tcp://h:1", TLS: &TLS{CACert: "/nope/ca.pem", Cert: "/nope/c.pem", Key: "/nope/k.pem"}},
			[]string{"ca_cert", "/nope/ca.pem", "cert", "/nope/c.pem", "key", "/nope/k.pem"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.opts.Validate()
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Validate(%+v) = %v, want nil", tt.opts, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate(%+v) = nil, want an error mentioning %q", tt.opts, tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate(%+v) = %q, want it to mention %q", tt.opts, err, w)
				}
			}
		})
	}
}

func TestResolvedAddressDefaults(t *testing.T) {
	t.Setenv("BUILDKIT_HOST", "")
	if got := (ConnectOptions{}).ResolvedAddress(); got != DefaultAddress {
		t.Errorf("no address, no BUILDKIT_HOST: got %q, want %q", got, DefaultAddress)
	}
	t.Setenv("BUILDKIT_HOST", "tcp://buildkitd:1234")
	if got := (ConnectOptions{}).ResolvedAddress(); got != "tcp://buildkitd:1234" {
		t.Errorf("BUILDKIT_HOST set: got %q", got)
	}
	if got := (ConnectOptions{Address: "unix:///x.sock"}).ResolvedAddress(); got != "unix:///x.sock" {
		t.Errorf("explicit address must win over BUILDKIT_HOST: got %q", got)
	}
}

// NewBuilder must not dial: a policy-only configuration has no daemon.
func TestNewBuilderIsLazy(t *testing.T) {
	b, err := NewBuilder(ConnectOptions{Address: "unix:///nonexistent/buildkitd.sock"})
	if err != nil {
		t.Fatalf("NewBuilder with an unreachable address = %v, want nil (connect lazily)", err)
	}
	if b.client != nil {
		t.Fatal("NewBuilder connected eagerly")
	}
}

// TLS values are PEM text or file paths, interchangeably.
func TestTLSPemOrFile(t *testing.T) {
	caPEM, certPEM, keyPEM := selfSigned(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	asText := ConnectOptions{Address: "tcp://127.0.0.1:1234", TLS: &TLS{CACert: caPEM, Cert: certPEM, Key: keyPEM}}
	if err := asText.Validate(); err != nil {
		t.Errorf("PEM text: %v", err)
	}
	asFiles := ConnectOptions{Address: "tcp://127.0.0.1:1234", TLS: &TLS{CACert: write("ca.pem", caPEM), Cert: write("c.pem", certPEM), Key: write("k.pem", keyPEM)}}
	if err := asFiles.Validate(); err != nil {
		t.Errorf("file paths: %v", err)
	}
	_, _, otherKey := selfSigned(t)
	mismatched := ConnectOptions{Address: "tcp://127.0.0.1:1234", TLS: &TLS{CACert: caPEM, Cert: certPEM, Key: otherKey}}
	if err := mismatched.Validate(); err == nil || !strings.Contains(err.Error(), "do not form a key pair") {
		t.Errorf("mismatched key: err = %v, want a key-pair error", err)
	}
}

func selfSigned(t *testing.T) (ca, cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(k)
	c := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	return c, c, string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}))
}
