package buildctx

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// baseTree is a small context with something of every kind: an exception
// re-including a file under an excluded directory, a symlink, an executable,
// an empty directory, ignored files and directories.
var baseTree = tree{
	"Dockerfile":            "FROM scratch\nCOPY . /\n",
	".dockerignore":         "node_modules\n*.log\n.git\nbuild/\n!build/keep.txt\nshared\n",
	"src/main.go":           "package main\n",
	"src/util/x.go":         "package util\n",
	"run.sh":                "x:#!/bin/sh\necho hi\n",
	"link":                  "@src/main.go",
	"empty/":                "",
	"app.log":               "log line\n",
	"node_modules/a/i.js":   "module.exports = 1\n",
	".git/HEAD":             "ref: refs/heads/main\n",
	"build/out.bin":         "binary\n",
	"build/keep.txt":        "keep me\n",
	"shared/.dockerignore":  "*.tmp\n",
	"shared/lib.txt":        "lib\n",
	"shared/scratch.tmp":    "tmp\n",
	"docker/app.Dockerfile": "FROM scratch\n",
}

func baseInput(dir string) Input {
	return Input{
		ContextDir:    dir,
		BuildArgs:     map[string]string{"A": "1"},
		Target:        "final",
		Platforms:     []string{"linux/amd64", "linux/arm64"},
		SecretIDs:     []string{"npm", "aws"},
		NamedContexts: map[string]string{"shared": filepath.Join(dir, "shared"), "base": "docker-image://alpine:3"},
		Extra:         map[string]string{"k": "v"},
	}
}

func compute(t *testing.T, in Input) *Result {
	t.Helper()
	res, err := Compute(context.Background(), in)
	if err != nil {
		t.Fatalf("Compute(%+v): %v", in, err)
	}
	return res
}

// TestCompute_changes applies one change to a fresh copy of baseTree and
// compares the digest with the unchanged tree's.
func TestCompute_changes(t *testing.T) {
	tests := []struct {
		name   string
		tree   tree                                      // merged over baseTree before the first digest
		change func(t *testing.T, dir string, in *Input) // applied before the second digest
		same   bool
	}{
		{name: "nothing", change: func(*testing.T, string, *Input) {}, same: true},
		{name: "mtime of every file", same: true, change: func(t *testing.T, dir string, _ *Input) {
			old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
			mustDo(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.Type()&fs.ModeSymlink != 0 {
					return err
				}
				return os.Chtimes(p, old, old)
			}))
		}},
		{name: "owner of a file", same: true, change: func(t *testing.T, dir string, _ *Input) {
			if os.Geteuid() != 0 {
				t.Skip("chown needs root")
			}
			mustDo(t, os.Lchown(filepath.Join(dir, "src/main.go"), 4321, 4321))
		}},
		{name: "non-exec permission bits", same: true, change: func(t *testing.T, dir string, _ *Input) {
			mustDo(t, os.Chmod(filepath.Join(dir, "src/main.go"), 0o600))
		}},
		{name: "content of a file", change: write("src/main.go", "package main // changed\n")},
		{name: "chmod +x", change: func(t *testing.T, dir string, _ *Input) {
			mustDo(t, os.Chmod(filepath.Join(dir, "src/main.go"), 0o755))
		}},
		{name: "chmod -x", change: func(t *testing.T, dir string, _ *Input) {
			mustDo(t, os.Chmod(filepath.Join(dir, "run.sh"), 0o644))
		}},
		{name: "new file", change: write("src/new.go", "package main\n")},
		{name: "file renamed", change: func(t *testing.T, dir string, _ *Input) {
			mustDo(t, os.Rename(filepath.Join(dir, "src/util/x.go"), filepath.Join(dir, "src/util/y.go")))
		}},
		{name: "content moved across a file boundary", tree: tree{"p/a": "ab", "p/b": "c"}, change: func(t *testing.T, dir string, _ *Input) {
			writeTree(t, dir, tree{"p/a": "a", "p/b": "bc"})
		}},
		{name: "ignored file changed", same: true, change: write("app.log", "another line\n")},
		{name: "ignored file added", same: true, change: write("debug.log", "x\n")},
		{name: "file in ignored dir changed", same: true, change: write("node_modules/a/i.js", "module.exports = 2\n")},
		{name: "file in ignored dir added", same: true, change: write("node_modules/b/new.js", "1\n")},
		{name: "empty dir added in ignored dir", same: true, change: mkdir("node_modules/c")},
		{name: "ignored file under excluded dir changed", same: true, change: write("build/out.bin", "other binary\n")},
		{name: "exception file under excluded dir changed", change: write("build/keep.txt", "changed\n")},
		{name: "exception file under excluded dir chmod +x", change: func(t *testing.T, dir string, _ *Input) {
			mustDo(t, os.Chmod(filepath.Join(dir, "build/keep.txt"), 0o755))
		}},
		{name: "symlink target changed", change: func(t *testing.T, dir string, _ *Input) {
			writeTree(t, dir, tree{"link": "@src/util/x.go"})
		}},
		{name: "symlink target content changed", change: write("src/main.go", "package main // changed\n")},
		{name: "empty dir added", change: mkdir("empty2")},
		{name: "empty dir removed", change: func(t *testing.T, dir string, _ *Input) {
			mustDo(t, os.Remove(filepath.Join(dir, "empty")))
		}},
		{name: "file replaced by empty dir of the same name", tree: tree{"q/f": ""}, change: func(t *testing.T, dir string, _ *Input) {
			mustDo(t, os.Remove(filepath.Join(dir, "q/f")))
			mustDo(t, os.Mkdir(filepath.Join(dir, "q/f"), 0o755))
		}},
		{name: "Dockerfile changed", change: write("Dockerfile", "FROM scratch\nCOPY src /src\n")},
		{name: "Dockerfile excluded by .dockerignore, changed", tree: tree{".dockerignore": "Dockerfile\n"}, change: write("Dockerfile", "FROM scratch\nCOPY src /src\n")},
		{name: "inline Dockerfile, same content as the file", same: true, change: func(t *testing.T, _ string, in *Input) {
			in.DockerfileInline = baseTree["Dockerfile"]
		}},
		{name: "inline Dockerfile, other content", change: func(t *testing.T, _ string, in *Input) {
			in.DockerfileInline = "FROM scratch\n"
		}},
		{name: "Dockerfile outside the context, same content", same: true, change: func(t *testing.T, _ string, in *Input) {
			outside := t.TempDir()
			writeTree(t, outside, tree{"prod.Dockerfile": baseTree["Dockerfile"]})
			in.Dockerfile = filepath.Join(outside, "prod.Dockerfile")
		}},
		{name: "build arg value", change: func(_ *testing.T, _ string, in *Input) { in.BuildArgs = map[string]string{"A": "2"} }},
		{name: "build arg added", change: func(_ *testing.T, _ string, in *Input) { in.BuildArgs = map[string]string{"A": "1", "B": ""} }},
		{name: "target", change: func(_ *testing.T, _ string, in *Input) { in.Target = "debug" }},
		{name: "platform added", change: func(_ *testing.T, _ string, in *Input) {
			in.Platforms = append(in.Platforms, "linux/arm/v7")
		}},
		{name: "platform order (index order)", change: func(_ *testing.T, _ string, in *Input) {
			in.Platforms = []string{"linux/arm64", "linux/amd64"}
		}},
		{name: "secret id added", change: func(_ *testing.T, _ string, in *Input) { in.SecretIDs = append(in.SecretIDs, "gh") }},
		{name: "secret id renamed", change: func(_ *testing.T, _ string, in *Input) { in.SecretIDs = []string{"npm", "gcp"} }},
		{name: "secret ids reordered", same: true, change: func(_ *testing.T, _ string, in *Input) { in.SecretIDs = []string{"aws", "npm"} }},
		{name: "secret id repeated", same: true, change: func(_ *testing.T, _ string, in *Input) {
			in.SecretIDs = []string{"aws", "npm", "aws"}
		}},
		{name: "extra", change: func(_ *testing.T, _ string, in *Input) { in.Extra = map[string]string{"k": "w"} }},
		{name: "named image context", change: func(_ *testing.T, _ string, in *Input) {
			in.NamedContexts["base"] = "docker-image://alpine:3.20"
		}},
		{name: "named local context file changed", change: write("shared/lib.txt", "lib v2\n")},
		{name: "named local context ignored file changed", same: true, change: write("shared/scratch.tmp", "other\n")},
		{name: "build arg moved to extra", change: func(_ *testing.T, _ string, in *Input) {
			in.BuildArgs = nil
			in.Extra = map[string]string{"k": "v", "A": "1"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, merge(baseTree, tt.tree))
			in := baseInput(dir)
			before := compute(t, in).Digest
			tt.change(t, dir, &in)
			after := compute(t, in).Digest
			if got := before == after; got != tt.same {
				t.Errorf("change %q: digest before %s, after %s; want same digest = %v", tt.name, before, after, tt.same)
			}
		})
	}
}

func write(p, content string) func(*testing.T, string, *Input) {
	return func(t *testing.T, dir string, _ *Input) { writeTree(t, dir, tree{p: content}) }
}

func mkdir(p string) func(*testing.T, string, *Input) {
	return func(t *testing.T, dir string, _ *Input) { mustDo(t, os.MkdirAll(filepath.Join(dir, p), 0o755)) }
}

func TestCompute_locationIndependent(t *testing.T) {
	a := filepath.Join(t.TempDir(), "checkout-one")
	b := filepath.Join(t.TempDir(), "somewhere", "else", "entirely")
	writeTree(t, a, baseTree)
	writeTree(t, b, baseTree)
	ra, rb := compute(t, baseInput(a)), compute(t, baseInput(b))
	if ra.Digest != rb.Digest {
		t.Errorf("same tree at %q and %q: digests %s and %s; want equal", a, b, ra.Digest, rb.Digest)
	}

	// A relative context path digests like the absolute one.
	wd, err := os.Getwd()
	mustDo(t, err)
	rel, err := filepath.Rel(wd, a)
	mustDo(t, err)
	in := baseInput(rel)
	in.NamedContexts["shared"] = filepath.Join(rel, "shared")
	if rr := compute(t, in); rr.Digest != ra.Digest {
		t.Errorf("context %q (relative) vs %q: digests %s and %s; want equal", rel, a, rr.Digest, ra.Digest)
	}
}

func TestCompute_result(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, baseTree)
	res := compute(t, baseInput(dir))
	if !strings.HasPrefix(res.Digest, "sha256:") || len(res.Digest) != len("sha256:")+64 {
		t.Errorf("Digest = %q; want sha256:<64 hex>", res.Digest)
	}
	// Context: Dockerfile .dockerignore src/main.go src/util/x.go run.sh link
	// build/keep.txt docker/app.Dockerfile = 8; named context "shared":
	// .dockerignore lib.txt = 2.
	if res.Files != 10 {
		t.Errorf("Files = %d; want 10", res.Files)
	}
	if res.DockerfileName != "Dockerfile" || string(res.Dockerfile) != baseTree["Dockerfile"] {
		t.Errorf("Dockerfile = %q, %q; want %q, %q", res.DockerfileName, res.Dockerfile, "Dockerfile", baseTree["Dockerfile"])
	}
	if res.DockerignoreName != ".dockerignore" || string(res.Dockerignore) != baseTree[".dockerignore"] {
		t.Errorf("Dockerignore = %q, %q; want %q, %q", res.DockerignoreName, res.Dockerignore, ".dockerignore", baseTree[".dockerignore"])
	}

	bare := t.TempDir()
	writeTree(t, bare, tree{"dockerfile": "FROM scratch\n", "a": "12345"})
	res = compute(t, Input{ContextDir: bare})
	if res.Dockerignore != nil || res.DockerignoreName != "" {
		t.Errorf("no ignore file: Dockerignore = %q, %q; want nil, \"\"", res.Dockerignore, res.DockerignoreName)
	}
	if res.DockerfileName != "dockerfile" {
		t.Errorf("only a lowercase dockerfile: DockerfileName = %q; want %q (BuildKit's fallback)", res.DockerfileName, "dockerfile")
	}
	if res.Files != 2 || res.Bytes != int64(len("FROM scratch\n")+5) {
		t.Errorf("Files, Bytes = %d, %d; want 2, %d", res.Files, res.Bytes, len("FROM scratch\n")+5)
	}
}

func TestReadIgnoreFile_precedence(t *testing.T) {
	tests := []struct {
		name       string
		tree       tree
		dockerfile string
		wantName   string
		wantPats   []string
	}{
		{name: "none", tree: tree{"Dockerfile": ""}, dockerfile: "Dockerfile"},
		{name: "context only", tree: tree{".dockerignore": "a\n"}, dockerfile: "Dockerfile", wantName: ".dockerignore", wantPats: []string{"a"}},
		{name: "Dockerfile-specific wins", tree: tree{".dockerignore": "a\n", "Dockerfile.dockerignore": "b\n"},
			dockerfile: "Dockerfile", wantName: "Dockerfile.dockerignore", wantPats: []string{"b"}},
		{name: "beside a Dockerfile in a subdirectory", tree: tree{".dockerignore": "a\n", "docker/app.Dockerfile.dockerignore": "/c/\n!c/d\n# comment\n"},
			dockerfile: "docker/app.Dockerfile", wantName: "docker/app.Dockerfile.dockerignore", wantPats: []string{"c", "!c/d"}},
		{name: "not at the context root for a nested Dockerfile", tree: tree{".dockerignore": "a\n", "Dockerfile.dockerignore": "b\n"},
			dockerfile: "docker/Dockerfile", wantName: ".dockerignore", wantPats: []string{"a"}},
		{name: "inline Dockerfile: context only", tree: tree{".dockerignore": "a\n", "Dockerfile.dockerignore": "b\n"},
			dockerfile: "", wantName: ".dockerignore", wantPats: []string{"a"}},
		{name: "empty Dockerfile-specific file still wins", tree: tree{".dockerignore": "a\n", "Dockerfile.dockerignore": ""},
			dockerfile: "Dockerfile", wantName: "Dockerfile.dockerignore"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, tt.tree)
			pats, raw, name, err := ReadIgnoreFile(dir, tt.dockerfile)
			if err != nil {
				t.Fatalf("ReadIgnoreFile(%v, %q): %v", tt.tree, tt.dockerfile, err)
			}
			if name != tt.wantName || strings.Join(pats, "|") != strings.Join(tt.wantPats, "|") {
				t.Errorf("ReadIgnoreFile(%v, %q) = %q, %q; want %q, %q", tt.tree, tt.dockerfile, pats, name, tt.wantPats, tt.wantName)
			}
			if (raw == nil) != (tt.wantName == "") {
				t.Errorf("ReadIgnoreFile(%v, %q): raw = %q; want nil exactly when there is no ignore file", tt.tree, tt.dockerfile, raw)
			}
		})
	}
}

// TestCompute_dockerfileIgnorePrecedence: with <Dockerfile>.dockerignore
// present, the context's .dockerignore no longer applies.
func TestCompute_dockerfileIgnorePrecedence(t *testing.T) {
	tr := tree{"Dockerfile": "FROM scratch\n", ".dockerignore": "a.txt\n", "Dockerfile.dockerignore": "b.txt\n", "a.txt": "a", "b.txt": "b"}
	tests := []struct {
		file string
		same bool
	}{{"a.txt", false}, {"b.txt", true}}
	for _, tt := range tests {
		dir := t.TempDir()
		writeTree(t, dir, tr)
		before := compute(t, Input{ContextDir: dir}).Digest
		writeTree(t, dir, tree{tt.file: "changed"})
		after := compute(t, Input{ContextDir: dir}).Digest
		if got := before == after; got != tt.same {
			t.Errorf("ignore files %v, change %s: same digest = %v; want %v", tr, tt.file, got, tt.same)
		}
	}
}

func TestCompute_errors(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, tree{"Dockerfile": "FROM scratch\n", "file": "x", ".dockerignore": "Dockerfile.prod\n"})
	badIgnore := t.TempDir()
	writeTree(t, badIgnore, tree{"Dockerfile": "FROM scratch\n", ".dockerignore": "src/[\n"})
	onlyDir := t.TempDir()
	writeTree(t, onlyDir, tree{"Dockerfile/": ""})

	tests := []struct {
		name  string
		in    Input
		kind  error
		wants []string // substrings of the message
	}{
		{name: "no context given", in: Input{}, kind: ErrContextNotFound, wants: []string{"no build context directory given"}},
		{name: "missing context", in: Input{ContextDir: filepath.Join(dir, "nope")}, kind: ErrContextNotFound,
			wants: []string{filepath.Join(dir, "nope"), "does not exist"}},
		{name: "relative missing context", in: Input{ContextDir: "no/such/dir"}, kind: ErrContextNotFound,
			wants: []string{`"no/such/dir"`, "resolved to"}},
		{name: "context is a file", in: Input{ContextDir: filepath.Join(dir, "file")}, kind: ErrNotDirectory,
			wants: []string{filepath.Join(dir, "file"), "not a directory"}},
		{name: "missing Dockerfile", in: Input{ContextDir: dir, Dockerfile: "Dockerfile.dev"}, kind: ErrDockerfileNotFound,
			wants: []string{filepath.Join(dir, "Dockerfile.dev"), "inline"}},
		{name: "missing Dockerfile that .dockerignore excludes", in: Input{ContextDir: dir, Dockerfile: "Dockerfile.prod"}, kind: ErrDockerfileNotFound,
			wants: []string{filepath.Join(dir, "Dockerfile.prod"), ".dockerignore excludes this path", "reads the Dockerfile even when"}},
		{name: "Dockerfile is a directory", in: Input{ContextDir: onlyDir}, kind: ErrDockerfileNotFound, wants: []string{"is a directory"}},
		{name: "bad ignore pattern", in: Input{ContextDir: badIgnore}, kind: ErrBadIgnorePattern, wants: []string{".dockerignore"}},
		{name: "missing named context", in: Input{ContextDir: dir, NamedContexts: map[string]string{"lib": filepath.Join(dir, "lib")}},
			kind: ErrContextNotFound, wants: []string{`named context "lib"`, filepath.Join(dir, "lib")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compute(context.Background(), tt.in)
			if !errors.Is(err, tt.kind) {
				t.Fatalf("Compute(%+v) error = %v; want errors.Is(err, %v)", tt.in, err, tt.kind)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("Compute(%+v) error %T; want *Error", tt.in, err)
			}
			for _, w := range tt.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Compute(%+v) error %q; want it to mention %q", tt.in, err, w)
				}
			}
		})
	}

	empty := t.TempDir()
	_, err := Compute(context.Background(), Input{ContextDir: empty})
	for _, w := range []string{filepath.Join(empty, "Dockerfile"), filepath.Join(empty, "dockerfile")} {
		if !errors.Is(err, ErrDockerfileNotFound) || !strings.Contains(err.Error(), w) {
			t.Errorf("empty context: error %v; want ErrDockerfileNotFound mentioning %q", err, w)
		}
	}
}

func TestDirDigest_unreadableFile(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, tree{"ok.txt": "ok", "secret/key.pem": "k"})
	open := func(name string) (*os.File, error) {
		if filepath.Base(name) == "key.pem" {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
		}
		return os.Open(name)
	}
	_, _, _, err := dirDigest(context.Background(), dir, nil, walkOpts{open: open})
	if !errors.Is(err, ErrUnreadable) || !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), `"secret/key.pem"`) {
		t.Errorf("unreadable secret/key.pem: error %v; want ErrUnreadable and fs.ErrPermission, naming \"secret/key.pem\"", err)
	}
	// Excluded, it is never opened.
	if _, _, _, err := dirDigest(context.Background(), dir, []string{"**/*.pem"}, walkOpts{open: open}); err != nil {
		t.Errorf("unreadable file excluded by **/*.pem: %v; want no error", err)
	}
}

func TestDirDigest_cancel(t *testing.T) {
	dir := t.TempDir()
	tr := tree{}
	for _, d := range []string{"a", "b", "c", "d", "e"} {
		tr[d+"/f"] = d
	}
	writeTree(t, dir, tr)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, _, err := DirDigest(ctx, dir, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("DirDigest with a cancelled context: error %v; want context.Canceled", err)
	}

	// Cancelled during the walk: no directory is read after the cancel.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	var read []string
	hook := func(rel string) {
		read = append(read, rel)
		if rel == "b" {
			cancel()
		}
	}
	_, _, _, err := dirDigest(ctx, dir, nil, walkOpts{onReadDir: hook})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancel while reading b/: error %v; want context.Canceled", err)
	}
	if strings.Join(read, ",") != ",a,b" {
		t.Errorf("cancel while reading b/: directories read %q; want [\"\" a b]", read)
	}
}
