package buildctx

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

const (
	defaultDockerfile   = "Dockerfile"
	lowercaseDockerfile = "dockerfile" // the frontend's fallback for "Dockerfile"
	dockerignore        = ".dockerignore"
)

// ReadIgnoreFile finds and parses the ignore file BuildKit would apply to
// contextDir for the Dockerfile at dockerfilePath (relative to contextDir, or
// absolute; "" for an inline Dockerfile): <dockerfilePath>.dockerignore when
// that file exists, else <contextDir>/.dockerignore.
//
// It returns the patterns (cleaned as BuildKit cleans them, ready for
// [DirDigest]), the file's raw bytes and its name: slash-separated and
// relative to contextDir when the file is inside it, else the path as found.
// With no ignore file, all four results are zero. A pattern BuildKit would
// reject is an [ErrBadIgnorePattern] naming the file.
func ReadIgnoreFile(contextDir, dockerfilePath string) (patterns []string, raw []byte, name string, err error) {
	var candidates []string
	if dockerfilePath != "" {
		candidates = append(candidates, resolve(contextDir, dockerfilePath)+dockerignore)
	}
	candidates = append(candidates, filepath.Join(contextDir, dockerignore))

	for _, p := range candidates {
		raw, err = os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) || isNotExist(err) {
			continue
		}
		name = displayName(contextDir, p)
		if err != nil {
			return nil, nil, "", &Error{Kind: ErrUnreadable, Path: p, Msg: fmt.Sprintf(
				"cannot read the ignore file %s: make it readable (BuildKit reads it to decide what to send)", quote(p)), Err: err}
		}
		patterns, err = ignorefile.ReadAll(bytes.NewReader(raw))
		if err != nil {
			return nil, nil, "", &Error{Kind: ErrBadIgnorePattern, Path: p, Msg: "cannot parse " + quote(name), Err: err}
		}
		if _, err := patternmatcher.New(patterns); err != nil {
			return nil, nil, "", &Error{Kind: ErrBadIgnorePattern, Path: p, Msg: fmt.Sprintf(
				"%s has a pattern BuildKit rejects; fix or remove it", quote(name)), Err: err}
		}
		if raw == nil {
			raw = []byte{} // the file exists, even if empty
		}
		return patterns, raw, name, nil
	}
	return nil, nil, "", nil
}

// resolve returns p when absolute, else p relative to dir.
func resolve(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

// displayName is p relative to contextDir (slash-separated) when p is inside
// it, else p itself.
func displayName(contextDir, p string) string {
	rel, err := filepath.Rel(contextDir, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return p
	}
	return filepath.ToSlash(rel)
}

// loadDockerfile reads the Dockerfile the way the dockerfile frontend does,
// including its fallback from "Dockerfile" to "dockerfile". excludes are the
// context's ignore patterns, used only to explain a missing file.
func loadDockerfile(contextDir, dockerfile string, excludes []string, ignoreName string) ([]byte, string, error) {
	if dockerfile == "" {
		dockerfile = defaultDockerfile
	}
	p := resolve(contextDir, dockerfile)
	tried := []string{p}
	dt, err := os.ReadFile(p)
	if err != nil && isNotExist(err) && filepath.Base(p) == defaultDockerfile {
		lower := filepath.Join(filepath.Dir(p), lowercaseDockerfile)
		tried = append(tried, lower)
		if dt2, err2 := os.ReadFile(lower); err2 == nil {
			dt, err, p = dt2, nil, lower
		}
	}
	if err == nil {
		return dt, displayName(contextDir, p), nil
	}

	if fi, serr := os.Stat(p); serr == nil && fi.IsDir() {
		return nil, "", &Error{Kind: ErrDockerfileNotFound, Path: p, Msg: fmt.Sprintf(
			"the Dockerfile path %s is a directory, not a file: name the Dockerfile itself (relative to the context directory %s, or absolute)",
			quote(p), quote(contextDir))}
	}
	if !isNotExist(err) {
		return nil, "", &Error{Kind: ErrUnreadable, Path: p, Msg: fmt.Sprintf("cannot read the Dockerfile %s: make it readable", quote(p)), Err: err}
	}

	looked := quote(tried[0])
	if len(tried) > 1 {
		looked += " and " + quote(tried[1])
	}
	msg := fmt.Sprintf("Dockerfile %s not found: looked at %s. Set the Dockerfile path relative to the context directory %s (or absolute), or give the Dockerfile inline",
		quote(dockerfile), looked, quote(contextDir))
	if ignoreName != "" && excluded(excludes, displayName(contextDir, tried[0])) {
		msg += fmt.Sprintf(". Note: %s excludes this path, which is not the cause: BuildKit reads the Dockerfile even when .dockerignore excludes it", ignoreName)
	}
	return nil, "", &Error{Kind: ErrDockerfileNotFound, Path: tried[0], Msg: msg}
}

// excluded reports whether the slash path rel (relative to the context) is
// excluded by the patterns; false for paths outside the context.
func excluded(patterns []string, rel string) bool {
	if filepath.IsAbs(rel) || len(patterns) == 0 {
		return false
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		return false
	}
	m, err := pm.MatchesOrParentMatches(filepath.FromSlash(rel))
	return err == nil && m
}
