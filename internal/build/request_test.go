package build

import (
	"strings"
	"testing"
)

func TestParseCacheSpec(t *testing.T) {
	tests := []struct {
		in      string
		want    map[string]string
		wantErr string
	}{
		{"registry.example.com/app:cache", map[string]string{"type": "registry", "ref": "registry.example.com/app:cache"}, ""},
		{"type=registry,ref=r/app:cache,mode=max", map[string]string{"type": "registry", "ref": "r/app:cache", "mode": "max"}, ""},
		{"type=gha", map[string]string{"type": "gha"}, ""},
		{"ref=r/app:cache", nil, "has no type="},
		{"type=registry,broken", nil, `"broken" is not key=value`},
	}
	for _, tt := range tests {
		got, err := parseCacheSpec(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseCacheSpec(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseCacheSpec(%q) = %v", tt.in, err)
			continue
		}
		if len(got) != len(tt.want) {
			t.Errorf("parseCacheSpec(%q) = %v, want %v", tt.in, got, tt.want)
		}
		for k, v := range tt.want {
			if got[k] != v {
				t.Errorf("parseCacheSpec(%q)[%s] = %q, want %q", tt.in, k, got[k], v)
			}
		}
	}
}

func TestNamedContextKey(t *testing.T) {
	for in, want := range map[string]string{
		"golang:1.26":                         "golang:1.26",
		"docker.io/library/golang:1.26":       "golang:1.26",
		"docker.io/library/alpine:latest":     "alpine",
		"alpine":                              "alpine",
		"127.0.0.1:5000/base/busybox:1.35":    "127.0.0.1:5000/base/busybox:1.35",
		"ghcr.io/acme/tool@sha256:" + hex64(): "ghcr.io/acme/tool@sha256:" + hex64(),
	} {
		if got := NamedContextKey(in); got != want {
			t.Errorf("NamedContextKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func hex64() string { return strings.Repeat("ab", 32) }

func TestMask(t *testing.T) {
	secrets := []Secret{{ID: "a", Value: []byte("hunter2-long")}, {ID: "short", Value: []byte("ab")}}
	got := Mask("token=hunter2-long; ab stays", secrets)
	if strings.Contains(got, "hunter2-long") {
		t.Errorf("Mask left the secret in %q", got)
	}
	if !strings.Contains(got, "ab stays") {
		t.Errorf("Mask should not mask values shorter than 4 bytes (they match everywhere): %q", got)
	}
}

func TestRequestValidate(t *testing.T) {
	r := &Request{ContextDir: ".", Provenance: "full", CacheTo: []string{"ref=x"}}
	err := r.Validate()
	if err == nil {
		t.Fatal("Validate accepted no tags, a bad provenance and a bad cache spec")
	}
	for _, w := range []string{"tags is empty", `provenance "full"`, "has no type="} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("Validate() = %q, want it to mention %q", err, w)
		}
	}
	if repositoryOf("r:5000/a/b:tag") != "r:5000/a/b" || repositoryOf("r/a@sha256:x") != "r/a" || repositoryOf("r:5000/a") != "r:5000/a" {
		t.Error("repositoryOf must strip only the tag or digest")
	}
}
