package buildctx

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"

	"github.com/moby/patternmatcher"
)

// treeVersion starts every tree digest. Change it whenever the framing
// below changes, so that old and new digests can never be equal by accident.
const treeVersion = "prodimage.buildctx.tree/v1"

// readBufSize is the read buffer of each hashing worker: large enough that
// most source files take one read, small enough that GOMAXPROCS of them cost
// nothing.
const readBufSize = 256 << 10

// DirDigest digests the directory dir as BuildKit would send it with the
// given exclude patterns (in .dockerignore syntax, as returned by
// [ReadIgnoreFile]; nil excludes nothing). It returns "sha256:<hex>", the
// number of non-directory entries (regular files, symlinks, special files)
// and the total size of the regular files included.
//
// Errors are [*Error] values of kind [ErrContextNotFound], [ErrNotDirectory],
// [ErrBadIgnorePattern] or [ErrUnreadable]; when ctx is cancelled the walk
// stops and the error matches ctx.Err().
func DirDigest(ctx context.Context, dir string, excludes []string) (digest string, files int, bytes int64, err error) {
	return dirDigest(ctx, dir, excludes, walkOpts{})
}

// walkOpts are test hooks; the zero value is what DirDigest uses.
type walkOpts struct {
	// onReadDir is called with the slash path (relative, "" for the root) of
	// every directory before it is read.
	onReadDir func(rel string)
	// open replaces os.Open for regular files.
	open func(name string) (*os.File, error)
}

func dirDigest(ctx context.Context, dir string, excludes []string, opts walkOpts) (string, int, int64, error) {
	if err := checkDir(dir, "build context"); err != nil {
		return "", 0, 0, err
	}
	w, err := newWalker(dir, excludes, opts)
	if err != nil {
		return "", 0, 0, err
	}
	entries, err := w.run(ctx)
	if err != nil {
		return "", 0, 0, err
	}

	h := sha256.New()
	fr := framer{w: h}
	fr.str(treeVersion)
	var files int
	var size int64
	for _, e := range entries {
		if e.gone {
			continue
		}
		fr.str(e.path)
		fr.byte(byte(e.kind))
		switch e.kind {
		case kindFile:
			fr.bool(e.exec)
			fr.uint(uint64(e.size))
			fr.raw(e.sum[:])
			size += e.size
		case kindSymlink:
			fr.str(e.link)
		}
		if e.kind != kindDir {
			files++
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), files, size, nil
}

// checkDir reports, for a person, why dir cannot be a build context. what
// names the role of dir in the message ("build context", "named context
// \"x\"").
func checkDir(dir, what string) error {
	if dir == "" {
		return &Error{Kind: ErrContextNotFound, Msg: "no " + what + " directory given: set it to the directory that holds the files the Dockerfile copies"}
	}
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &Error{Kind: ErrContextNotFound, Path: dir, Msg: fmt.Sprintf(
			"%s directory %s does not exist%s: create it, or point the build at the directory that holds the files the Dockerfile copies",
			what, quote(dir), absNote(dir))}
	case err != nil:
		return &Error{Kind: ErrUnreadable, Path: dir, Msg: fmt.Sprintf("cannot access %s directory %s", what, quote(dir)), Err: err}
	case !fi.IsDir():
		return &Error{Kind: ErrNotDirectory, Path: dir, Msg: fmt.Sprintf(
			"%s %s is a file, not a directory: point the build at the directory that holds the files the Dockerfile copies (and name the Dockerfile separately)",
			what, quote(dir))}
	}
	return nil
}

func quote(p string) string { return fmt.Sprintf("%q", p) }

// absNote spells out where a relative path was looked for, since the working
// directory of a Terraform run is rarely obvious.
func absNote(p string) string {
	if filepath.IsAbs(p) {
		return ""
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return ""
	}
	return " (resolved to " + quote(abs) + ")"
}

type entryKind byte

const (
	kindDir     entryKind = 'd'
	kindFile    entryKind = 'f'
	kindSymlink entryKind = 'l'
	kindOther   entryKind = 'o' // fifo, socket, device: sent as an entry without content
)

type entry struct {
	path string // slash-separated, relative to the root
	kind entryKind
	link string // symlink target, verbatim

	// Set by a hashing worker, for kindFile.
	exec bool
	size int64
	sum  [sha256.Size]byte
	gone bool // removed between the directory read and the open
}

type walker struct {
	root string
	opts walkOpts

	pm *patternmatcher.PatternMatcher // nil when nothing is excluded
	// walkAllExcluded is set when an exception pattern has wildcards: any
	// excluded directory may then hold something it re-includes.
	walkAllExcluded bool
	// exceptionDirs are the literal exception patterns, each with a trailing
	// separator: an excluded directory is walked only if one starts with it.
	exceptionDirs []string

	entries []*entry
	stack   []stackDir // directories on the current path, below the root
	jobs    chan *entry
}

type stackDir struct {
	rel     string
	emitted bool
}

func newWalker(root string, excludes []string, opts walkOpts) (*walker, error) {
	if opts.open == nil {
		opts.open = os.Open
	}
	w := &walker{root: root, opts: opts}
	if len(excludes) == 0 {
		return w, nil
	}
	pm, err := patternmatcher.New(excludes)
	if err != nil {
		return nil, &Error{Kind: ErrBadIgnorePattern, Path: root, Msg: fmt.Sprintf("invalid exclude pattern in %q", excludes), Err: err}
	}
	w.pm = pm
	// The same test as fsutil's filterFS: a pattern is "literal" when, after
	// dropping a trailing /* or /**, it has no pattern characters left.
	specials := "*[]?^"
	if filepath.Separator != '\\' {
		specials += `\`
	}
	for _, p := range pm.Patterns() {
		if !p.Exclusion() {
			continue
		}
		s := p.String()
		s = strings.TrimSuffix(s, string(filepath.Separator)+"**")
		s = strings.TrimSuffix(s, string(filepath.Separator)+"*")
		if strings.ContainsAny(s, specials) {
			w.walkAllExcluded = true
		}
		w.exceptionDirs = append(w.exceptionDirs, s+string(filepath.Separator))
	}
	return w, nil
}

// run walks the tree while a pool of workers hashes the regular files, and
// returns the entries in walk order (depth first, names sorted bytewise).
func (w *walker) run(ctx context.Context) ([]*entry, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	n := runtime.GOMAXPROCS(0)
	w.jobs = make(chan *entry, 4*n)
	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err; cancel() })
	}
	for range n {
		wg.Go(func() {
			buf := make([]byte, readBufSize)
			h := sha256.New()
			for e := range w.jobs {
				// Keep draining after a failure so the walker never blocks.
				if ctx.Err() != nil {
					continue
				}
				if err := w.hashFile(ctx, e, buf, h); err != nil {
					fail(err)
				}
			}
		})
	}

	werr := w.walkDir(ctx, "", patternmatcher.MatchInfo{}, false)
	close(w.jobs)
	wg.Wait()
	if werr != nil {
		fail(werr)
	}
	if firstErr != nil {
		// A worker's cancel makes the walker fail with context.Canceled too;
		// report the cause, not the echo.
		return nil, firstErr
	}
	return w.entries, nil
}

// walkDir reads the directory rel (native separators, "" for the root) and
// visits its entries in name order. info is rel's pattern-match state;
// excluded says whether rel itself is excluded (and is walked only because an
// exception may re-include something below it).
func (w *walker) walkDir(ctx context.Context, rel string, info patternmatcher.MatchInfo, excluded bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if w.opts.onReadDir != nil {
		w.opts.onReadDir(filepath.ToSlash(rel))
	}
	des, err := readDir(filepath.Join(w.root, rel))
	if err != nil {
		if rel != "" && isNotExist(err) {
			return nil // removed since its parent was read; BuildKit skips it too
		}
		if excluded && errors.Is(err, fs.ErrPermission) {
			return nil // nothing below was going to be sent; fsutil ignores this too
		}
		return w.unreadable(rel, "directory", err)
	}
	slices.SortFunc(des, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })

	for _, de := range des {
		if err := ctx.Err(); err != nil {
			return err
		}
		child := de.Name()
		if rel != "" {
			child = rel + string(filepath.Separator) + child
		}
		isDir := de.IsDir()
		skip := false
		var childInfo patternmatcher.MatchInfo
		if w.pm != nil {
			var m bool
			m, childInfo, err = w.pm.MatchesUsingParentResults(child, info)
			if err != nil {
				return &Error{Kind: ErrBadIgnorePattern, Path: w.root, Msg: fmt.Sprintf("cannot match %q against the exclude patterns", filepath.ToSlash(child)), Err: err}
			}
			if m {
				if isDir && !w.mayReinclude(child) {
					continue // pruned: never read
				}
				skip = true
			}
		}

		if isDir {
			w.stack = append(w.stack, stackDir{rel: child})
			if !skip {
				w.emitPending()
			}
			err := w.walkDir(ctx, child, childInfo, skip)
			w.stack = w.stack[:len(w.stack)-1]
			if err != nil {
				return err
			}
			continue
		}
		if skip {
			continue
		}
		w.emitPending()

		e := &entry{path: filepath.ToSlash(child)}
		switch t := de.Type(); {
		case t&fs.ModeSymlink != 0:
			e.kind = kindSymlink
			e.link, err = os.Readlink(filepath.Join(w.root, child))
			if err != nil {
				if isNotExist(err) {
					continue
				}
				return w.unreadable(child, "symlink", err)
			}
			w.entries = append(w.entries, e)
		case t.IsRegular():
			e.kind = kindFile
			w.entries = append(w.entries, e)
			select {
			case w.jobs <- e:
			case <-ctx.Done():
				return ctx.Err()
			}
		default:
			e.kind = kindOther
			w.entries = append(w.entries, e)
		}
	}
	return nil
}

// mayReinclude reports whether the excluded directory rel must still be
// walked because an exception pattern could re-include something below it.
func (w *walker) mayReinclude(rel string) bool {
	if !w.pm.Exclusions() {
		return false
	}
	if w.walkAllExcluded {
		return true
	}
	prefix := rel + string(filepath.Separator)
	for _, d := range w.exceptionDirs {
		if strings.HasPrefix(d, prefix) {
			return true
		}
	}
	return false
}

// emitPending adds the directories on the current path that are not entries
// yet: an excluded directory becomes one when something below it is
// re-included, as BuildKit sends the parents of every file it sends.
func (w *walker) emitPending() {
	for i := range w.stack {
		if !w.stack[i].emitted {
			w.stack[i].emitted = true
			w.entries = append(w.entries, &entry{path: filepath.ToSlash(w.stack[i].rel), kind: kindDir})
		}
	}
}

func (w *walker) hashFile(ctx context.Context, e *entry, buf []byte, h hash.Hash) error {
	native := filepath.FromSlash(e.path)
	f, err := w.opts.open(filepath.Join(w.root, native))
	if err != nil {
		if isNotExist(err) {
			e.gone = true
			return nil
		}
		return w.unreadable(native, "file", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return w.unreadable(native, "file", err)
	}
	if !fi.Mode().IsRegular() {
		return w.unreadable(native, "file", errors.New("it changed type while the context was read; run the plan again"))
	}
	e.exec = fi.Mode().Perm()&0o111 != 0

	h.Reset()
	var n int64
	want := fi.Size()
	for i := 0; ; i++ {
		k, err := f.Read(buf)
		h.Write(buf[:k])
		n += int64(k)
		// Stopping at the size fstat reported saves the empty read that
		// would only return io.EOF: one syscall per file.
		if err == io.EOF || (err == nil && n == want) {
			break
		}
		if err != nil {
			return w.unreadable(native, "file", err)
		}
		if i&63 == 63 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	e.size = n
	h.Sum(e.sum[:0])
	return nil
}

func (w *walker) unreadable(rel, what string, err error) error {
	p := filepath.Join(w.root, rel)
	return &Error{Kind: ErrUnreadable, Path: p, Msg: fmt.Sprintf(
		"cannot read %s %s in the build context %s: make it readable, or exclude it in .dockerignore if the build does not need it",
		what, quote(filepath.ToSlash(rel)), quote(w.root)), Err: err}
}

func readDir(dir string) ([]fs.DirEntry, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Unlike os.ReadDir this does not sort; the caller does.
	return f.ReadDir(-1)
}

func isNotExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}
