package imagescan

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// layerSummary is what one layer contributes, independent of where it sits in an image
// (a layer shared by two platforms is read once and merged into both). It holds
// per-path metadata only for the paths the checks need, plus one 8-byte hash per entry
// so that a later merge can tell which lower-layer paths this layer replaced.
type layerSummary struct {
	secrets   []secretHit
	hasGit    bool
	setuid    []string
	passwd    []byte // this layer's /etc/passwd, when it writes one
	hasPasswd bool
	files     []string          // regular files that may be a shell (bin dirs, shell names)
	symlinks  map[string]string // symlinks that may be on a shell's path
	links     []hardLink        // hard links to files of lower layers
	whiteouts []string
	opaque    []string
	entries   []uint64 // sorted entryKey of every path this layer adds
}

type secretHit struct {
	path, kind string
}

type hardLink struct {
	name, target string
}

// scanner holds one worker's reusable buffers and decoders: a worker reads one layer at
// a time, so its memory is these buffers whatever the layer's size.
type scanner struct {
	br   *bufio.Reader
	gz   *gzip.Reader
	zd   *zstd.Decoder
	head []byte
}

func newScanner() *scanner {
	return &scanner{br: bufio.NewReaderSize(nil, 64<<10), head: make([]byte, sniffLen)}
}

func (s *scanner) close() {
	if s.zd != nil {
		s.zd.Close()
	}
}

// srcReader remembers errors of the compressed stream (network, digest verification),
// so that they are not mistaken for a corrupt layer.
type srcReader struct {
	r   io.Reader
	err error
}

func (s *srcReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// scan reads one compressed layer stream to its end, exactly once: compressed bytes
// through decompression into tar, every entry's header, and the first bytes of the few
// files a check opens.
func (s *scanner) scan(ctx context.Context, compressed io.Reader) (*layerSummary, error) {
	src := &srcReader{r: compressed}
	s.br.Reset(src)
	sum, err := s.scanStream(ctx)
	if err == nil {
		// The rest of the stream (tar padding, the compression trailer) is read too, so
		// that the digest of the whole blob is verified.
		_, err = io.Copy(io.Discard, s.br)
	}
	switch {
	case err == nil:
		return sum, nil
	case ctx.Err() != nil:
		return nil, context.Cause(ctx)
	case src.err != nil:
		return nil, fmt.Errorf("reading the layer from the registry: %w", src.err)
	default:
		return nil, fmt.Errorf("%w: %v", ErrBadLayer, err)
	}
}

func (s *scanner) scanStream(ctx context.Context) (*layerSummary, error) {
	magic, err := s.br.Peek(4)
	if err != nil && err != io.EOF {
		return nil, err
	}
	var r io.Reader = s.br
	switch {
	case bytes.HasPrefix(magic, gzipMagic):
		if s.gz == nil {
			s.gz, err = gzip.NewReader(s.br)
		} else {
			err = s.gz.Reset(s.br)
		}
		if err != nil {
			return nil, err
		}
		r = s.gz
	case bytes.HasPrefix(magic, zstdMagic):
		if s.zd == nil {
			// One synchronous decoder; the window cap bounds its memory (zstd's
			// default levels use at most 8 MiB, --long 128 MiB).
			s.zd, err = zstd.NewReader(s.br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true), zstd.WithDecoderMaxWindow(128<<20))
		} else {
			err = s.zd.Reset(s.br)
		}
		if err != nil {
			return nil, err
		}
		r = s.zd
	}
	sum, err := s.walk(ctx, tar.NewReader(r))
	if err != nil {
		return nil, err
	}
	// Past the end-of-archive marker: padding, or further gzip members.
	if _, err := io.Copy(io.Discard, r); err != nil {
		return nil, err
	}
	return sum, nil
}

func (s *scanner) walk(ctx context.Context, tr *tar.Reader) (*layerSummary, error) {
	sum := &layerSummary{}
	gitRoots := map[string]bool{}
	setuid := map[string]bool{}
	secretAt := map[string]string{}
	for n := 0; ; n++ {
		if n%256 == 0 && ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		p := cleanPath(hdr.Name)
		dir, base := path.Split(p)
		dir = cleanPath(dir)
		if rest, ok := strings.CutPrefix(base, ".wh."); ok {
			switch {
			case rest == ".wh..opq":
				sum.opaque = append(sum.opaque, dir)
			case strings.HasPrefix(rest, ".wh."):
				// aufs bookkeeping (.wh..wh.plnk, .wh..wh.aufs): not a deletion.
			default:
				sum.whiteouts = append(sum.whiteouts, path.Join(dir, rest))
			}
			continue
		}
		isDir := hdr.Typeflag == tar.TypeDir
		sum.entries = append(sum.entries, entryKey(p, isDir))
		if root := gitRoot(p, isDir); root != "" && !gitRoots[root] {
			gitRoots[root] = true
			sum.hasGit = true
			sum.secrets = append(sum.secrets, secretHit{root, KindGit})
		}
		switch hdr.Typeflag {
		case tar.TypeSymlink:
			if shellRelevant(p) {
				if sum.symlinks == nil {
					sum.symlinks = map[string]string{}
				}
				sum.symlinks[p] = hdr.Linkname
			}
		case tar.TypeLink:
			target := cleanPath(hdr.Linkname)
			su := hdr.Mode&(modeSetuid|modeSetgid) != 0 || setuid[target]
			if su {
				setuid[p] = true
				sum.setuid = append(sum.setuid, p)
			}
			if shellRelevant(p) {
				sum.files = append(sum.files, p)
			}
			if kind, _ := nameKind(p); kind == KindDotenv {
				sum.secrets = append(sum.secrets, secretHit{p, kind})
			} else if kind := secretAt[target]; kind != "" {
				sum.secrets = append(sum.secrets, secretHit{p, kind})
			}
			if !su && hdr.Mode&0o7777 == 0 {
				// Tar writers give a hard link its file's mode, so a link with a mode is
				// setuid exactly when its header says so. Without one, the target may be
				// a setuid file of a lower layer: the merge knows.
				sum.links = append(sum.links, hardLink{name: p, target: target})
			}
		case tar.TypeReg, tar.TypeGNUSparse:
			if hdr.Mode&(modeSetuid|modeSetgid) != 0 {
				setuid[p] = true
				sum.setuid = append(sum.setuid, p)
			}
			if shellRelevant(p) {
				sum.files = append(sum.files, p)
			}
			kind, err := s.file(tr, hdr, p, sum)
			if err != nil {
				return nil, err
			}
			if kind != "" {
				secretAt[p] = kind
				sum.secrets = append(sum.secrets, secretHit{p, kind})
			}
		}
	}
	slices.Sort(sum.entries)
	return sum, nil
}

// file looks at a regular file: /etc/passwd is kept (capped), and files below sniffCap
// have their first sniffLen bytes checked for credentials. Nothing read is kept beyond
// the kind it proves.
func (s *scanner) file(tr *tar.Reader, hdr *tar.Header, p string, sum *layerSummary) (string, error) {
	kind, needsContent := nameKind(p)
	var head []byte
	if p == "/etc/passwd" {
		buf := make([]byte, min(hdr.Size, passwdCap))
		n, err := io.ReadFull(tr, buf)
		if err != nil {
			return "", err
		}
		sum.passwd, sum.hasPasswd = buf[:n], true
		head = buf[:min(n, sniffLen)]
	} else if hdr.Size == 0 {
		// Empty: nothing to leak, whatever the name.
		return "", nil
	} else if hdr.Size <= sniffCap {
		n, err := io.ReadFull(tr, s.head[:min(hdr.Size, sniffLen)])
		if err != nil {
			return "", err
		}
		head = s.head[:n]
	}
	switch {
	case kind != "" && !needsContent:
		return kind, nil
	case head == nil:
		return "", nil
	case kind != "" && contentHolds(kind, head):
		return kind, nil
	case hasPrivateKey(head):
		return KindPrivateKey, nil
	}
	return "", nil
}

const (
	modeSetuid = 0o4000
	modeSetgid = 0o2000
)

// cleanPath makes a tar name absolute and clean: "./app/.env", "app/.env/" → "/app/.env".
func cleanPath(name string) string {
	return path.Clean("/" + name)
}

// entryKey is a path's hash with its lowest bit telling a directory (1) from anything
// else (0), so one sorted slice answers both "replaced at all" and "replaced by a
// non-directory".
func entryKey(p string, isDir bool) uint64 {
	// FNV-1a, inline to stay allocation-free on every tar entry.
	h := uint64(14695981039346656037)
	for i := 0; i < len(p); i++ {
		h ^= uint64(p[i])
		h *= 1099511628211
	}
	k := h &^ 1
	if isDir {
		k |= 1
	}
	return k
}

func (s *layerSummary) replaces(p string, byDir bool) bool {
	k := entryKey(p, byDir)
	_, found := slices.BinarySearch(s.entries, k)
	return found
}

// gitRoot returns the .git directory p is, or is inside; "" for none (a .git file, as
// in a submodule checkout, is not a repository).
func gitRoot(p string, isDir bool) string {
	if strings.HasSuffix(p, "/.git") {
		if isDir {
			return p
		}
		return ""
	}
	if i := strings.Index(p, "/.git/"); i >= 0 {
		return p[:i+5]
	}
	return ""
}

// shellNames are programs that are, or provide, a POSIX shell.
var shellNames = map[string]bool{
	"sh": true, "bash": true, "ash": true, "dash": true, "busybox": true, "zsh": true,
	"ksh": true, "mksh": true, "yash": true, "toybox": true,
}

// shellRelevant keeps the check's per-path state small: only paths that can be on the
// way from /bin/sh (and the other shells) to the file it names are recorded. They are
// directories near the root (/bin, /usr/bin, /usr/local), anything in a bin directory
// or /etc/alternatives or /busybox, and shell-named files anywhere.
func shellRelevant(p string) bool {
	dir, base := path.Split(p)
	if shellNames[base] || base == "bin" || base == "sbin" || strings.Count(p, "/") <= 2 {
		return true
	}
	switch path.Base(dir) {
	case "bin", "sbin", "alternatives", "busybox":
		return true
	}
	return false
}

// ErrBadLayer is wrapped by the error about a layer whose bytes arrived but are not a
// tar stream (optionally gzip- or zstd-compressed): corrupt data, a truncated stream.
var ErrBadLayer = errors.New("layer is not a readable tar stream")
