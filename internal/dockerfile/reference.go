package dockerfile

import (
	"strings"
)

// Reference is an image reference split into its parts, normalised the way
// Docker does: "node:20" is registry "docker.io", repository "library/node",
// tag "20".
type Reference struct {
	Registry   string // "docker.io" when the reference names none
	Repository string // "library/node", "distroless/static-debian12"
	Tag        string // "" when none is written
	Digest     string // "sha256:…", "" when none is written
}

// Name is the fully qualified repository without tag or digest,
// e.g. "docker.io/library/node".
func (r Reference) Name() string { return r.Registry + "/" + r.Repository }

// Short is the last path component of the repository, e.g. "node" or
// "static-debian12"; rules use it to recognise well-known images.
func (r Reference) Short() string {
	if i := strings.LastIndexByte(r.Repository, '/'); i >= 0 {
		return r.Repository[i+1:]
	}
	return r.Repository
}

// String is the canonical form: name, then ":tag" and "@digest" when present.
func (r Reference) String() string {
	s := r.Name()
	if r.Tag != "" {
		s += ":" + r.Tag
	}
	if r.Digest != "" {
		s += "@" + r.Digest
	}
	return s
}

// ParseReference splits an image reference. It is lenient: it accepts
// anything without whitespace and reports ok=false only for an empty string
// or one that still holds a variable, since a policy must keep going on
// references the build itself would reject.
func ParseReference(s string) (Reference, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, " \t\n$") {
		return Reference{}, false
	}
	var ref Reference
	if i := strings.IndexByte(s, '@'); i >= 0 {
		ref.Digest = s[i+1:]
		s = s[:i]
	}
	// The tag is after the last ':' of the last path component, so that a
	// registry port ("localhost:5000/app") is not mistaken for one.
	lastSlash := strings.LastIndexByte(s, '/')
	if i := strings.LastIndexByte(s, ':'); i > lastSlash {
		ref.Tag = s[i+1:]
		s = s[:i]
	}
	first, rest, hasSlash := strings.Cut(s, "/")
	if hasSlash && (strings.ContainsAny(first, ".:") || first == "localhost" || first != strings.ToLower(first)) {
		ref.Registry = first
		ref.Repository = rest
	} else {
		ref.Registry = "docker.io"
		ref.Repository = s
	}
	if ref.Registry == "index.docker.io" || ref.Registry == "registry-1.docker.io" {
		ref.Registry = "docker.io"
	}
	if ref.Registry == "docker.io" && !strings.Contains(ref.Repository, "/") {
		ref.Repository = "library/" + ref.Repository
	}
	if ref.Repository == "" {
		return Reference{}, false
	}
	return ref, true
}
