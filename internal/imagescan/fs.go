package imagescan

import (
	"path"
	"slices"
	"strings"
)

// finalFS applies layer summaries in order, the way an overlay filesystem stacks the
// layers, for the few paths the checks track. Each layer first hides what it deletes
// or replaces in the layers below it, then adds its own entries (OCI image spec:
// whiteouts apply to lower layers only).
type finalFS struct {
	secrets []SecretFile
	live    map[string][]int // path → indices of secrets still visible there

	setuid    map[string]bool
	passwd    []byte
	hasPasswd bool
	files     map[string]bool
	symlinks  map[string]string
	hasGit    bool
}

func newFinalFS() *finalFS {
	return &finalFS{live: map[string][]int{}, setuid: map[string]bool{}, files: map[string]bool{}, symlinks: map[string]string{}}
}

// hider answers whether a layer hides a lower-layer path.
type hider struct {
	sum       *layerSummary
	whiteouts map[string]bool
	opaque    map[string]bool
}

func newHider(s *layerSummary) *hider {
	h := &hider{sum: s, whiteouts: make(map[string]bool, len(s.whiteouts)), opaque: make(map[string]bool, len(s.opaque))}
	for _, p := range s.whiteouts {
		h.whiteouts[p] = true
	}
	for _, p := range s.opaque {
		h.opaque[p] = true
	}
	return h
}

// hides reports whether the layer deletes or replaces p (a directory when isDir) of a
// lower layer: a whiteout of p or of a directory above it, an opaque directory above
// it, a non-directory put where a directory above it was, or any entry put at p itself
// (for a directory, only a non-directory replaces it; a directory merges).
func (h *hider) hides(p string, isDir bool) bool {
	if h.whiteouts[p] || h.sum.replaces(p, false) || (!isDir && h.sum.replaces(p, true)) {
		return true
	}
	for a := p; a != "/"; {
		a = path.Dir(a)
		if h.whiteouts[a] || h.opaque[a] || h.sum.replaces(a, false) {
			return true
		}
	}
	return false
}

func (f *finalFS) apply(s *layerSummary, layer int, createdBy string) {
	h := newHider(s)
	for p, idx := range f.live {
		if h.hides(p, f.secrets[idx[0]].Kind == KindGit) {
			for _, i := range idx {
				f.secrets[i].Deleted = true
			}
			delete(f.live, p)
		}
	}
	for p := range f.setuid {
		if h.hides(p, false) {
			delete(f.setuid, p)
		}
	}
	for p := range f.files {
		if h.hides(p, false) {
			delete(f.files, p)
		}
	}
	for p := range f.symlinks {
		if h.hides(p, false) {
			delete(f.symlinks, p)
		}
	}
	if f.hasPasswd && h.hides("/etc/passwd", false) {
		f.passwd, f.hasPasswd = nil, false
	}

	for _, l := range s.links {
		if f.setuid[l.target] {
			f.setuid[l.name] = true
		}
	}
	for _, sh := range s.secrets {
		f.live[sh.path] = append(f.live[sh.path], len(f.secrets))
		f.secrets = append(f.secrets, SecretFile{Path: sh.path, Layer: layer, Kind: sh.kind, CreatedBy: createdBy})
	}
	for _, p := range s.setuid {
		f.setuid[p] = true
	}
	for _, p := range s.files {
		f.files[p] = true
	}
	for p, t := range s.symlinks {
		f.symlinks[p] = t
	}
	if s.hasPasswd {
		f.passwd, f.hasPasswd = s.passwd, true
	}
	f.hasGit = f.hasGit || s.hasGit
}

// shellPaths are where an image's shell is looked for.
var shellPaths = []string{"/bin/sh", "/bin/bash", "/bin/ash", "/busybox/sh", "/usr/bin/sh", "/usr/bin/bash"}

func (f *finalFS) hasShell() bool {
	for _, p := range shellPaths {
		if r, ok := f.resolve(p); ok && f.files[r] {
			return true
		}
	}
	return false
}

// resolve follows symlinks in every component of p, as the kernel would inside the
// image's root: absolute targets start at the image root, relative ones at the link's
// directory, ".." stops at the root. ok is false for a loop (more than 40 links).
func (f *finalFS) resolve(p string) (string, bool) {
	for hops := 0; hops <= 40; {
		cur, linked := "/", false
		rest := strings.Split(strings.TrimPrefix(p, "/"), "/")
		for i, c := range rest {
			next := path.Join(cur, c)
			t, ok := f.symlinks[next]
			if !ok {
				cur = next
				continue
			}
			hops++
			base := cur
			if strings.HasPrefix(t, "/") {
				base = "/"
			}
			p = path.Join(append([]string{base, t}, rest[i+1:]...)...)
			linked = true
			break
		}
		if !linked {
			return cur, true
		}
	}
	return "", false
}

func (f *finalFS) setuidFiles() []string {
	out := make([]string, 0, len(f.setuid))
	for p := range f.setuid {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}
