package build

import (
	"fmt"

	"github.com/distribution/reference"
	"sort"
	"strconv"
	"strings"
)

// Secret is one build secret, already resolved to its value. Values never leave the
// BuildKit session: they are not logged, returned or written anywhere.
type Secret struct {
	ID    string
	Value []byte
}

// SSH is one SSH agent socket or key set forwarded to RUN --mount=type=ssh.
type SSH struct {
	ID    string   // "default" when empty
	Paths []string // agent socket or key files; empty means $SSH_AUTH_SOCK
}

// Request is one build: every platform in one solve, every tag pushed by it.
type Request struct {
	ContextDir       string
	Dockerfile       string // absolute path, or relative to ContextDir; default "Dockerfile"
	DockerfileInline string // wins over Dockerfile when set
	Target           string
	Platforms        []string // empty: the builder's native platform
	Tags             []string // pushed; at least one unless PushByDigest
	PushByDigest     bool     // push without tags (the first tag names the repository)
	BuildArgs        map[string]string
	Labels           map[string]string
	Annotations      map[string]string // on the index and every manifest
	Secrets          []Secret
	SSH              []SSH
	NamedContexts    map[string]string // name → docker-image://…, a local directory, or a URL
	CacheFrom        []string          // BuildKit cache specs: type=registry,ref=…
	CacheTo          []string
	NoCache          bool
	Pull             bool
	SourceDateEpoch  *int64
	Provenance       string // "", "off", "min", "max"
	SBOM             bool
	Insecure         bool // push over plain HTTP / unverified TLS
}

// Validate rejects contradictory or malformed requests before anything is sent.
func (r *Request) Validate() error {
	var errs []string
	if r.ContextDir == "" {
		errs = append(errs, "context is empty")
	}
	if len(r.Tags) == 0 {
		errs = append(errs, "tags is empty: give at least one registry/repo:tag")
	}
	switch r.Provenance {
	case "", "off", "min", "max":
	default:
		errs = append(errs, fmt.Sprintf("provenance %q: use off, min or max", r.Provenance))
	}
	for _, c := range append(append([]string{}, r.CacheFrom...), r.CacheTo...) {
		if _, err := parseCacheSpec(c); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("invalid build request: %s", strings.Join(errs, "; "))
	}
	return nil
}

// parseCacheSpec reads "type=registry,ref=…,mode=max" (a bare ref means type=registry).
func parseCacheSpec(s string) (map[string]string, error) {
	attrs := map[string]string{}
	if !strings.Contains(s, "=") {
		return map[string]string{"type": "registry", "ref": s}, nil
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("cache spec %q: %q is not key=value", s, kv)
		}
		attrs[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	if attrs["type"] == "" {
		return nil, fmt.Errorf("cache spec %q has no type= (e.g. type=registry,ref=registry.example.com/app:cache)", s)
	}
	return attrs, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func epochString(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

// NamedContextKey is the name under which BuildKit's Dockerfile frontend looks up a named
// context for an image reference: its familiar form, without ":latest".
func NamedContextKey(ref string) string {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return ref
	}
	return strings.TrimSuffix(reference.FamiliarString(named), ":latest")
}
