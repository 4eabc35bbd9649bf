// Package buildctx computes, at plan time, one digest over everything a
// BuildKit build reads: the files of the build context that survive
// .dockerignore, the Dockerfile, local named contexts, and the build's
// parameters (build args, target, platforms, secret ids).
//
// The digest is what lets Terraform plan an update exactly when the build
// input changed and nothing otherwise, so it is machine-independent: it
// covers relative slash paths, file contents and the executable bit (set
// when any of the three x bits is), never other permission bits, mtimes,
// owners or absolute paths. The same tree checked out in two places on two
// machines has the same digest.
//
// The walk follows BuildKit's own rules (github.com/tonistiigi/fsutil with
// github.com/moby/patternmatcher):
//
//   - The ignore file is <Dockerfile>.dockerignore beside the Dockerfile when
//     it exists, else <context>/.dockerignore. An inline Dockerfile only has
//     the latter.
//   - Excluded directories are pruned without being read, unless an exception
//     pattern ("!…") could re-include something below them: a literal
//     exception walks only the directories on its path, an exception with
//     wildcards walks every excluded directory (as BuildKit does).
//   - A file re-included below an excluded directory brings its parent
//     directories into the context, as BuildKit sends them.
//   - Symlinks are not followed: the digest covers the link's target string.
//   - Directories are entries of their own, so an empty directory counts (COPY
//     creates it).
//   - The Dockerfile is always digested, even when .dockerignore excludes it:
//     BuildKit reads it through its own channel.
//
// File contents are hashed with sha256 by a pool of GOMAXPROCS workers while
// the walk continues; each worker reuses one read buffer, and no file is
// read whole into memory.
//
// The package is plain Go: it does not depend on the plugin framework and can
// be used and tested on its own.
package buildctx
