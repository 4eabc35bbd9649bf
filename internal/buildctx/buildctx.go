package buildctx

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
)

// digestVersion starts every [Compute] digest; change it whenever the framing
// changes.
const digestVersion = "prodimage.buildctx/v1"

// Input is everything a build reads that should trigger a rebuild when it
// changes. Relative paths are resolved from the process's working directory,
// as buildx resolves them.
type Input struct {
	// ContextDir is the build context directory. Required.
	ContextDir string
	// Dockerfile is the Dockerfile's path, relative to ContextDir or
	// absolute. Default "Dockerfile" (and, as BuildKit does, "dockerfile" when
	// that does not exist). Ignored when DockerfileInline is set.
	Dockerfile string
	// DockerfileInline is the Dockerfile's content. Default "": read the
	// Dockerfile file.
	DockerfileInline string
	// NamedContexts maps a context name to its value. A value that
	// [IsLocalContext] is a directory, walked and digested with its own
	// .dockerignore; any other value (docker-image://…, https://…,
	// target:…) is digested as a string. Default none.
	NamedContexts map[string]string
	// BuildArgs are the build arguments. Default none.
	BuildArgs map[string]string
	// Target is the target stage. Default "": the last stage.
	Target string
	// Platforms are the target platforms, in order (the order of the
	// manifests in the image index). Default none: the builder's platform.
	Platforms []string
	// SecretIDs are the ids of the build secrets, never their values. Order
	// and duplicates do not matter. Default none.
	SecretIDs []string
	// Extra is anything else the caller wants in the digest. Default none.
	Extra map[string]string
}

// Result is the digest of an [Input] and what was read to compute it.
type Result struct {
	// Digest is "sha256:<hex>" over the whole input.
	Digest string
	// Files is the number of non-directory entries digested, in the context
	// and in local named contexts.
	Files int
	// Bytes is the total size of the regular files digested.
	Bytes int64
	// Dockerfile is the Dockerfile's content.
	Dockerfile []byte
	// DockerfileName is the Dockerfile's path, slash-separated and relative to
	// the context when inside it; "" for an inline Dockerfile.
	DockerfileName string
	// Dockerignore is the content of the ignore file applied to the context;
	// nil when there is none.
	Dockerignore []byte
	// DockerignoreName names that file like DockerfileName; "" when none.
	DockerignoreName string
}

// Compute digests everything in. Two inputs get the same digest exactly when
// BuildKit would be given the same files and parameters: the context after
// .dockerignore (relative paths, contents, executable bits, symlink targets,
// directories), the Dockerfile's content, local named contexts (likewise)
// and the other named contexts' values, build args, target, platforms,
// secret ids and Extra.
//
// Errors are [*Error] values: [ErrContextNotFound], [ErrNotDirectory],
// [ErrDockerfileNotFound], [ErrUnreadable] or [ErrBadIgnorePattern]. When ctx
// is cancelled the walk stops and the error matches ctx.Err().
func Compute(ctx context.Context, in Input) (*Result, error) {
	if err := checkDir(in.ContextDir, "build context"); err != nil {
		return nil, err
	}
	res := &Result{}

	dockerfile := ""
	if in.DockerfileInline == "" {
		dockerfile = in.Dockerfile
		if dockerfile == "" {
			dockerfile = defaultDockerfile
		}
	}
	excludes, raw, ignName, err := ReadIgnoreFile(in.ContextDir, dockerfile)
	if err != nil {
		return nil, err
	}
	res.Dockerignore, res.DockerignoreName = raw, ignName

	if in.DockerfileInline != "" {
		res.Dockerfile = []byte(in.DockerfileInline)
	} else {
		res.Dockerfile, res.DockerfileName, err = loadDockerfile(in.ContextDir, dockerfile, excludes, ignName)
		if err != nil {
			return nil, err
		}
	}

	ctxDigest, files, size, err := DirDigest(ctx, in.ContextDir, excludes)
	if err != nil {
		return nil, err
	}
	res.Files, res.Bytes = files, size

	type named struct{ name, local, value string }
	var nameds []named
	for _, name := range sortedKeys(in.NamedContexts) {
		v := in.NamedContexts[name]
		if !IsLocalContext(v) {
			nameds = append(nameds, named{name: name, value: v})
			continue
		}
		what := fmt.Sprintf("named context %q", name)
		if err := checkDir(v, what); err != nil {
			return nil, err
		}
		ex, _, _, err := ReadIgnoreFile(v, "")
		if err != nil {
			return nil, err
		}
		d, files, size, err := DirDigest(ctx, v, ex)
		if err != nil {
			return nil, err
		}
		res.Files += files
		res.Bytes += size
		nameds = append(nameds, named{name: name, local: d})
	}

	h := sha256.New()
	fr := framer{w: h}
	fr.str(digestVersion)
	fr.str("context")
	fr.str(ctxDigest)
	fr.str("dockerfile")
	fr.bytes(res.Dockerfile)
	fr.str("named-contexts")
	fr.uint(uint64(len(nameds)))
	for _, n := range nameds {
		fr.str(n.name)
		if n.local != "" {
			fr.byte('d')
			fr.str(n.local)
		} else {
			fr.byte('v')
			fr.str(n.value)
		}
	}
	fr.str("build-args")
	fr.strMap(in.BuildArgs)
	fr.str("target")
	fr.str(in.Target)
	fr.str("platforms")
	fr.strs(in.Platforms)
	fr.str("secret-ids")
	ids := slices.Clone(in.SecretIDs)
	slices.Sort(ids)
	fr.strs(slices.Compact(ids))
	fr.str("extra")
	fr.strMap(in.Extra)
	res.Digest = "sha256:" + hex.EncodeToString(h.Sum(nil))
	return res, nil
}

// IsLocalContext reports whether a named context value is a local directory,
// by buildx's rule: anything that is not a URL (scheme://…, git@…) or a
// target:/input: reference.
func IsLocalContext(value string) bool {
	return !strings.Contains(value, "://") &&
		!strings.HasPrefix(value, "git@") &&
		!strings.HasPrefix(value, "target:") &&
		!strings.HasPrefix(value, "input:")
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// framer writes values to a hash so that the byte stream decodes to exactly
// one sequence of values: variable-length values carry their length, and
// every fixed-size value's size follows from what precedes it. Without this,
// "ab"+"c" and "a"+"bc" would hash alike.
type framer struct {
	w   io.Writer
	buf [8]byte
}

func (f *framer) uint(v uint64) {
	binary.BigEndian.PutUint64(f.buf[:], v)
	f.w.Write(f.buf[:])
}

func (f *framer) byte(b byte) {
	f.buf[0] = b
	f.w.Write(f.buf[:1])
}

func (f *framer) bool(b bool) {
	if b {
		f.byte(1)
	} else {
		f.byte(0)
	}
}

// raw writes a fixed-size value.
func (f *framer) raw(b []byte) { f.w.Write(b) }

func (f *framer) bytes(b []byte) {
	f.uint(uint64(len(b)))
	f.w.Write(b)
}

func (f *framer) str(s string) {
	f.uint(uint64(len(s)))
	io.WriteString(f.w, s)
}

func (f *framer) strs(ss []string) {
	f.uint(uint64(len(ss)))
	for _, s := range ss {
		f.str(s)
	}
}

func (f *framer) strMap(m map[string]string) {
	f.uint(uint64(len(m)))
	for _, k := range sortedKeys(m) {
		f.str(k)
		f.str(m[k])
	}
}
