package buildctx

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/moby/patternmatcher/ignorefile"
	"github.com/tonistiigi/fsutil"
)

// walkTree has excluded directories at several depths, exceptions below
// them, empty directories, symlinks (one to a directory, never followed),
// dotfiles and names that sort differently bytewise and by path.
var walkTree = tree{
	"Dockerfile":                      "FROM scratch\n",
	"a.txt":                           "a",
	"a/b/c/d":                         "d",
	"a/b/e":                           "e",
	"a-b":                             "dash",
	"a.d/f":                           "dot dir",
	"bcd":                             "bcd",
	"build/out.bin":                   "bin",
	"build/keep.txt":                  "keep",
	"build/sub/keep.txt":              "deep keep",
	"build/empty/":                    "",
	"docs/README.md":                  "readme",
	"docs/guide.md":                   "guide",
	"docs/img/logo.png":               "png",
	"important.log":                   "important",
	"debug.log":                       "debug",
	"node_modules/keep/index.js":      "keep",
	"node_modules/left-pad/index.js":  "pad",
	"node_modules/.bin/left-pad":      "@../left-pad/index.js",
	"node_modules/x/node_modules/y/z": "nested",
	"src/main.go":                     "package main",
	"src/tmp/.keep":                   "",
	"src/tmp/scratch":                 "scratch",
	"src/pkg/a.tmp":                   "tmp",
	"src/pkg/lib.go":                  "x:package pkg",
	"src/link-to-pkg":                 "@pkg",
	"src/empty/":                      "",
	".git/HEAD":                       "ref",
	".git/objects/ab/cdef":            "obj",
	"dir/sub/f":                       "f",
	"dir/g":                           "g",
}

// TestWalk_matchesBuildKit compares the entries of our walk with what
// BuildKit's own walker (fsutil, with patternmatcher) sends, for .dockerignore
// files users write: same paths, same kinds, same order.
func TestWalk_matchesBuildKit(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, walkTree)
	ignores := []string{
		"",
		"node_modules\n.git\n",
		"node_modules\n!node_modules/keep\n",
		"build/\n!build/keep.txt\n",
		"build\n!build/**/keep.txt\n",
		"*\n!src\n",
		"*\n!src\nsrc/**/*.tmp\n",
		"**/*.log\n!important.log\n",
		"**\n!**/*.go\n",
		"a/b\n!a/b/c/d\n",
		"docs/*.md\n!docs/README.md\n",
		"/src/\n!/src/main.go\n",
		"**/tmp/\n!**/tmp/.keep\n",
		"[a-c]*\n!b*\n",
		"a?d\n",
		"!x\n",
		"dir/*\n!dir/sub\n",
		"**/node_modules\n",
		"node_modules/**\n!node_modules/keep/**\n",
		"a\n!a/b/c\na/b/c/d\n",
		"src/pkg\n!src/pkg/lib.go\n!src/link-to-pkg\n",
		"# comment\n  .git  \n\n*.md\n!docs\n",
		"*/\n",
		"src/*\n!src/pkg/*\n",
	}
	for _, ig := range ignores {
		excludes, err := ignorefile.ReadAll(strings.NewReader(ig))
		mustDo(t, err)

		w, err := newWalker(dir, excludes, walkOpts{})
		mustDo(t, err)
		entries, err := w.run(context.Background())
		if err != nil {
			t.Errorf(".dockerignore %q: walk: %v", ig, err)
			continue
		}
		var got []string
		for _, e := range entries {
			got = append(got, fmt.Sprintf("%c %s", e.kind, e.path))
		}

		var want []string
		err = fsutil.Walk(context.Background(), dir, &fsutil.FilterOpt{ExcludePatterns: excludes}, func(p string, fi os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			k := kindOther
			switch {
			case fi.IsDir():
				k = kindDir
			case fi.Mode()&os.ModeSymlink != 0:
				k = kindSymlink
			case fi.Mode().IsRegular():
				k = kindFile
			}
			want = append(want, fmt.Sprintf("%c %s", k, p))
			return nil
		})
		mustDo(t, err)
		if !slices.Equal(got, want) {
			t.Errorf(".dockerignore %q:\n got  %q\n want %q (fsutil)", ig, got, want)
		}
	}
}

// TestWalk_prunesExcludedDirs proves that excluded directories are not read
// unless an exception pattern could re-include something below them.
func TestWalk_prunesExcludedDirs(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, walkTree)
	tests := []struct {
		excludes    []string
		wantRead    []string
		wantNotRead []string
	}{
		{excludes: nil, wantRead: []string{"node_modules", "node_modules/x/node_modules", ".git/objects"}},
		{excludes: []string{"node_modules", ".git"}, wantRead: []string{"src", "build"}, wantNotRead: []string{"node_modules", ".git"}},
		{excludes: []string{"**/node_modules"}, wantNotRead: []string{"node_modules"}},
		{excludes: []string{"node_modules/**"}, wantRead: []string{"node_modules"}, wantNotRead: []string{"node_modules/keep", "node_modules/x"}},
		// A literal exception walks only the excluded directories on its path.
		{excludes: []string{"node_modules", "build", "!build/keep.txt"}, wantRead: []string{"build"},
			wantNotRead: []string{"node_modules", "build/sub", "build/empty"}},
		{excludes: []string{"node_modules", "!node_modules/keep"}, wantRead: []string{"node_modules", "node_modules/keep"},
			wantNotRead: []string{"node_modules/left-pad", "node_modules/x"}},
		// An exception with a wildcard could match anywhere: BuildKit walks
		// every excluded directory then, and so do we.
		{excludes: []string{"node_modules", "build", "!**/keep.txt"}, wantRead: []string{"node_modules", "node_modules/x/node_modules/y", "build/sub"}},
		// A trailing /** or /* does not count as a wildcard.
		{excludes: []string{"node_modules", "build", "!build/sub/**"}, wantRead: []string{"build", "build/sub"},
			wantNotRead: []string{"node_modules", "build/empty"}},
	}
	for _, tt := range tests {
		read := map[string]bool{}
		_, _, _, err := dirDigest(context.Background(), dir, tt.excludes, walkOpts{onReadDir: func(rel string) { read[rel] = true }})
		if err != nil {
			t.Fatalf("excludes %q: %v", tt.excludes, err)
		}
		for _, d := range tt.wantRead {
			if !read[d] {
				t.Errorf("excludes %q: directory %q not read; want it read", tt.excludes, d)
			}
		}
		for _, d := range tt.wantNotRead {
			for r := range read {
				if r == d || strings.HasPrefix(r, d+"/") {
					t.Errorf("excludes %q: directory %q was read; want %q and everything below it pruned", tt.excludes, r, d)
				}
			}
		}
	}
}

// TestWalk_exceptionCounts: a file re-included below an excluded directory
// is digested, and so are its parent directories.
func TestWalk_exceptionCounts(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, tree{"build/sub/keep.txt": "keep", "build/out.bin": "bin", "src/a": "a"})
	excludes := []string{"build", "!build/sub/keep.txt"}
	w, err := newWalker(dir, excludes, walkOpts{})
	mustDo(t, err)
	entries, err := w.run(context.Background())
	mustDo(t, err)
	var got []string
	for _, e := range entries {
		got = append(got, fmt.Sprintf("%c %s", e.kind, e.path))
	}
	want := []string{"d build", "d build/sub", "f build/sub/keep.txt", "d src", "f src/a"}
	if !slices.Equal(got, want) {
		t.Errorf("excludes %q: entries %q; want %q", excludes, got, want)
	}
	_, files, size, err := DirDigest(context.Background(), dir, excludes)
	mustDo(t, err)
	if files != 2 || size != int64(len("keep")+len("a")) {
		t.Errorf("excludes %q: files, bytes = %d, %d; want 2, %d", excludes, files, size, len("keep")+len("a"))
	}
}
