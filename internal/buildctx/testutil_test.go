package buildctx

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tree describes files to create, by slash path relative to a root:
//
//	"dir/"        → an empty directory (value ignored)
//	"@target"     → a symlink to target
//	"x:content"   → an executable file
//	anything else → a regular file (mode 0644) with that content
type tree map[string]string

func writeTree(t testing.TB, root string, tr tree) {
	t.Helper()
	for p, v := range tr {
		full := filepath.Join(root, filepath.FromSlash(p))
		if strings.HasSuffix(p, "/") {
			mustDo(t, os.MkdirAll(full, 0o755))
			continue
		}
		mustDo(t, os.MkdirAll(filepath.Dir(full), 0o755))
		switch {
		case strings.HasPrefix(v, "@"):
			_ = os.Remove(full)
			mustDo(t, os.Symlink(v[1:], full))
		case strings.HasPrefix(v, "x:"):
			mustDo(t, os.WriteFile(full, []byte(v[2:]), 0o755))
			mustDo(t, os.Chmod(full, 0o755))
		default:
			mustDo(t, os.WriteFile(full, []byte(v), 0o644))
			mustDo(t, os.Chmod(full, 0o644))
		}
	}
}

func mustDo(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// merge returns a copy of base with over applied on top.
func merge(base, over tree) tree {
	out := tree{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}
