package policy

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/prodimage/terraform-provider-prodimage/internal/dockerfile"
)

// pinned_base_images: what the build pulls is named exactly.

var ruleFromLatest = &rule{
	id: "from-latest", key: keyPinnedBaseImages, sev: High,
	aliases: []string{"DL3006", "DL3007", "DS-0001", "DS001", "CKV_DOCKER_7"},
	summary: "An image reference (FROM, `COPY --from`, `RUN --mount=from`) is `:latest` or has no tag and no digest, after ARG substitution. `scratch` and stage aliases are exempt.",
	bad:     "ARG BASE=python:latest\nFROM ${BASE}\nUSER 10001",
	good:    "ARG BASE=python:3.12-slim@sha256:2b0079146a74e23bb4ae8f6c4ab2adde1c4a6de4b9d2e1e4c7b1b3cd8f07d0c4\nFROM ${BASE}\nUSER 10001",
	fix:     "Name an exact version and pin it by digest, e.g. `FROM node:20.11.1-alpine3.19@sha256:<digest>` (`docker buildx imagetools inspect <image>` prints the digest).",
}

var ruleFromDigest = &rule{
	id: "from-digest", key: keyPinnedBaseImages, sev: Medium,
	summary: "An external image reference is not pinned with `@sha256:`: a tag can be moved to different content.",
	bad:     "FROM node:20.11.1-alpine3.19\nUSER 10001",
	good:    "FROM node:20.11.1-alpine3.19@sha256:c0a3badbd8a0a760de903e00cedbca94588e609299820557e72cba2a53dbaa2c\nUSER 10001",
	fix:     "Append the digest of the tag you tested: `image:tag@sha256:<digest>` (from `docker buildx imagetools inspect image:tag`); Renovate or Dependabot can keep it current.",
}

var ruleFromUnresolved = &rule{
	id: "from-unresolved", key: keyPinnedBaseImages, sev: Low,
	summary: "An image reference still holds a variable after ARG substitution (the ARG has no default and no build arg gives it), so what is pulled cannot be checked.",
	bad:     "ARG BASE\nFROM ${BASE}\nUSER 10001",
	good:    "ARG BASE=alpine:3.20@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d\nFROM ${BASE}\nUSER 10001",
	fix:     "Give the ARG a pinned default (`ARG BASE=image:tag@sha256:<digest>`) or pass it in build_args.",
}

var ruleTrustedRegistry = &rule{
	id: "trusted-registry", key: keyPinnedBaseImages, sev: High,
	aliases: []string{"DL3026"},
	summary: "An image comes from outside `trusted_registries` (only checked when that list is set; entries are registry or repository prefixes, `*` matches anything).",
	bad:     "FROM quay.io/someone/base:1.0\nUSER 10001",
	good:    "FROM docker.io/library/alpine:3.20\nUSER 10001",
	fix:     "Pull the image from a trusted registry (mirror it there), or add its registry to trusted_registries.",
}

// imageRefs is every reference rules about pinning look at, scratch excluded.
func (c *ctx) imageRefs() []*dockerfile.ImageRef {
	var out []*dockerfile.ImageRef
	for _, r := range c.f.Refs {
		if !r.Scratch() {
			out = append(out, r)
		}
	}
	return out
}

// describeRef names a reference for a message, showing how it resolved.
func describeRef(r *dockerfile.ImageRef) string {
	what := "FROM"
	switch r.Kind {
	case dockerfile.RefCopyFrom:
		what = "COPY --from"
	case dockerfile.RefMountFrom:
		what = "RUN --mount=from"
	}
	if r.Instruction != nil && r.Instruction.OnBuild {
		what = "ONBUILD " + what
	}
	if r.Raw != r.Resolved {
		return fmt.Sprintf("%s %s (resolved from %s)", what, r.Resolved, r.Raw)
	}
	return what + " " + r.Resolved
}

func checkFromLatest(c *ctx) {
	for _, r := range c.imageRefs() {
		ref, ok := r.Parsed()
		if !ok || ref.Digest != "" {
			continue
		}
		switch ref.Tag {
		case "":
			c.report(ruleFromLatest, r.Line, r.Stage, describeRef(r)+" has no tag and no digest: it pulls :latest")
		case "latest":
			c.report(ruleFromLatest, r.Line, r.Stage, describeRef(r)+" uses :latest")
		}
	}
}

func checkFromDigest(c *ctx) {
	for _, r := range c.imageRefs() {
		ref, ok := r.Parsed()
		if !ok || strings.HasPrefix(ref.Digest, "sha256:") {
			continue
		}
		c.report(ruleFromDigest, r.Line, r.Stage, describeRef(r)+" is not pinned by digest")
	}
}

func checkFromUnresolved(c *ctx) {
	for _, r := range c.imageRefs() {
		if len(r.Unresolved) > 0 {
			c.report(ruleFromUnresolved, r.Line, r.Stage,
				fmt.Sprintf("%s still holds $%s after ARG substitution", describeRef(r), strings.Join(r.Unresolved, ", $")))
		}
	}
}

func checkTrustedRegistry(c *ctx) {
	if len(c.in.TrustedRegistries) == 0 {
		return
	}
	var pats []*regexp.Regexp
	for _, p := range c.in.TrustedRegistries {
		pats = append(pats, trustPattern(p))
	}
	for _, r := range c.imageRefs() {
		ref, ok := r.Parsed()
		if !ok {
			continue
		}
		trusted := false
		for _, p := range pats {
			if p.MatchString(ref.Name()) {
				trusted = true
				break
			}
		}
		if !trusted {
			c.report(ruleTrustedRegistry, r.Line, r.Stage, fmt.Sprintf("%s comes from %s, which is not in trusted_registries", describeRef(r), ref.Name()))
		}
	}
}

// trustPattern turns a trusted_registries entry into a regexp matching a
// fully qualified repository name: the entry is a prefix ending at a path
// boundary, "*" matches any characters. "node" and "library/node" mean the
// Docker Hub names, as in a FROM line.
func trustPattern(p string) *regexp.Regexp {
	p = strings.TrimSpace(p)
	p = strings.TrimPrefix(strings.TrimPrefix(p, "https://"), "http://")
	p = strings.TrimRight(p, "/")
	first, _, hasSlash := strings.Cut(p, "/")
	isRegistry := strings.ContainsAny(first, ".:*") || first == "localhost"
	if !isRegistry {
		if !hasSlash {
			p = "library/" + p
		}
		p = "docker.io/" + p
	}
	if p == "index.docker.io" || strings.HasPrefix(p, "index.docker.io/") {
		p = "docker.io" + strings.TrimPrefix(p, "index.docker.io")
	}
	parts := strings.Split(p, "*")
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	return regexp.MustCompile("^" + strings.Join(parts, ".*") + "(/.*)?$")
}

var rulePackagePin = &rule{
	id: "package-pin", key: keyPinnedBaseImages, sev: Low,
	aliases: []string{"DL3008", "DL3018", "DL3033", "DL3041", "DL3013", "DL3016", "DL3028", "DL3062"},
	summary: "apt/apk/yum/dnf/pip/npm/gem packages installed without versions, or `go install` without `@version`: a rebuild installs whatever is newest.",
	bad:     "FROM alpine:3.20\nRUN apk add --no-cache tini\nUSER 10001",
	good:    "FROM alpine:3.20\nRUN apk add --no-cache tini=0.19.0-r3\nUSER 10001",
	fix:     "Pin every package: apt `pkg=1.2.3-1`, apk `pkg=1.2.3-r0`, yum/dnf `pkg-1.2.3`, pip `pkg==1.2.3` (or a hashed requirements file), npm `pkg@1.2.3`, gem `-v 1.2.3`, `go install pkg@v1.2.3`.",
}

func checkPackagePin(c *ctx) {
	for _, ins := range c.everyIns() {
		ri := c.runs[ins]
		if ri == nil {
			continue
		}
		for i := range ri.ops {
			op := &ri.ops[i]
			if loose := unpinned(op); len(loose) > 0 {
				if len(loose) > 5 {
					loose = append(loose[:5], "…")
				}
				c.reportAt(rulePackagePin, ins, fmt.Sprintf("%s %s without a version: %s", op.tool, op.verb, strings.Join(loose, ", ")))
			}
		}
	}
}

// unpinned lists the packages op installs without a version.
func unpinned(op *pkgOp) []string {
	var out []string
	isFile := func(p string) bool {
		return strings.ContainsAny(p, "/$") || strings.HasPrefix(p, ".") || strings.Contains(p, "://")
	}
	switch {
	case op.mgr == "apt" && op.verb == "install":
		for _, p := range op.pkgs {
			if !strings.Contains(p, "=") && !isFile(p) {
				out = append(out, p)
			}
		}
	case op.mgr == "apk" && op.verb == "add":
		for _, p := range op.pkgs {
			if !strings.ContainsAny(p, "=~<>") && !isFile(p) && !strings.HasSuffix(p, ".apk") {
				out = append(out, p)
			}
		}
	case op.mgr == "yum" && op.verb == "install":
		for _, p := range op.pkgs {
			if osPackageName("yum", p) == p && !isFile(p) && !strings.HasSuffix(p, ".rpm") && !strings.HasPrefix(p, "@") && !strings.ContainsAny(p, "=<>") {
				out = append(out, p)
			}
		}
	case op.mgr == "pip" && op.verb == "install":
		for _, p := range op.pkgs {
			if !strings.ContainsAny(p, "=<>~!@") && !isFile(p) && !strings.HasSuffix(p, ".whl") && !strings.HasSuffix(p, ".tar.gz") {
				out = append(out, p)
			}
		}
	case (op.mgr == "npm" || op.mgr == "pnpm") && op.verb == "install", op.mgr == "yarn" && op.verb == "add":
		for _, p := range op.pkgs {
			if isFile(p) && !strings.HasPrefix(p, "@") || strings.HasSuffix(p, ".tgz") || strings.Contains(p, ":") {
				continue
			}
			at := strings.LastIndexByte(p, '@')
			if at <= 0 {
				out = append(out, p)
			} else if v := p[at+1:]; v == "latest" || v == "next" || v == "" {
				out = append(out, p)
			}
		}
	case op.mgr == "gem" && op.verb == "install":
		if op.has("-v", "--version") {
			break
		}
		for _, p := range op.pkgs {
			if !strings.Contains(p, ":") && !strings.HasSuffix(p, ".gem") {
				out = append(out, p)
			}
		}
	case op.mgr == "go" && op.verb == "install":
		for _, p := range op.pkgs {
			if p == "." || strings.HasPrefix(p, "./") || strings.HasPrefix(p, "-") {
				continue
			}
			_, v, ok := strings.Cut(p, "@")
			if !ok || v == "latest" || v == "master" || v == "main" || v == "HEAD" {
				out = append(out, p)
			}
		}
	}
	return out
}

var ruleLockfile = &rule{
	id: "lockfile", key: keyPinnedBaseImages, sev: Medium,
	summary: "Dependencies resolved instead of read from the lockfile: `npm install` instead of `npm ci`; `yarn install` without `--frozen-lockfile`/`--immutable`; `pnpm install` without `--frozen-lockfile`; `poetry install` with no `poetry.lock` copied.",
	bad:     "FROM node:20-alpine\nCOPY package.json ./\nRUN npm install\nUSER 10001",
	good:    "FROM node:20-alpine\nCOPY package.json package-lock.json ./\nRUN npm ci\nUSER 10001",
	fix:     "Copy the lockfile and install from it: `npm ci`, `yarn install --frozen-lockfile` (Yarn 2+: `--immutable`), `pnpm install --frozen-lockfile`, `COPY pyproject.toml poetry.lock ./` before `poetry install`.",
}

func checkLockfile(c *ctx) {
	for _, s := range c.f.Stages {
		for _, ins := range s.Instructions {
			ri := c.runs[ins]
			if ri == nil {
				continue
			}
			for i := range ri.ops {
				op := &ri.ops[i]
				switch {
				case op.mgr == "npm" && op.verb == "install" && len(op.pkgs) == 0 && !op.has("-g", "--global"):
					c.reportAt(ruleLockfile, ins, "npm install resolves versions afresh; npm ci installs exactly package-lock.json")
				case op.mgr == "yarn" && op.verb == "install" && !op.has("--frozen-lockfile", "--immutable"):
					c.reportAt(ruleLockfile, ins, "yarn install without --frozen-lockfile (or --immutable) may rewrite the lockfile")
				case op.mgr == "pnpm" && op.verb == "install" && len(op.pkgs) == 0 && !op.has("--frozen-lockfile"):
					c.reportAt(ruleLockfile, ins, "pnpm install without --frozen-lockfile may rewrite the lockfile")
				case op.mgr == "poetry" && (op.verb == "install" || op.verb == "sync") && !c.copiedBefore(ins, "poetry.lock"):
					c.reportAt(ruleLockfile, ins, "poetry install runs with no poetry.lock copied in: Poetry resolves versions afresh")
				}
			}
		}
	}
}

// copiedBefore reports whether a context file named base reaches the stage
// of ins (or a stage it is built FROM) before ins: by name, by a copy of the
// whole context (when the context may hold it), or by a bind mount.
func (c *ctx) copiedBefore(ins *dockerfile.Instruction, base string) bool {
	for _, s := range c.f.RuntimeChain(ins.Stage) {
		for _, other := range s.Instructions {
			if other == ins {
				if ri := c.runs[ins]; ri != nil {
					for _, b := range ri.bindSources() {
						if path.Base(b) == base {
							return true
						}
					}
				}
				return false
			}
			if ci := copyOf(other); ci != nil && ci.fromContext() {
				if ci.copiesFile(base) || (ci.wholeContext() && c.contextMayHave(base)) {
					return true
				}
				for _, src := range ci.srcs {
					if ok, _ := path.Match(path.Base(src), base); ok {
						return true
					}
				}
			}
			if ri := c.runs[other]; ri != nil {
				for _, b := range ri.bindSources() {
					if path.Base(b) == base {
						return true
					}
				}
			}
		}
	}
	return false
}

// contextMayHave reports whether the build context may hold name: true when
// the context is unknown.
func (c *ctx) contextMayHave(name string) bool {
	if c.in.ContextFiles == nil {
		return true
	}
	for _, f := range c.in.ContextFiles {
		if f == name {
			return true
		}
	}
	return false
}

func init() {
	ruleFromLatest.check = checkFromLatest
	ruleFromDigest.check = checkFromDigest
	ruleFromUnresolved.check = checkFromUnresolved
	ruleTrustedRegistry.check = checkTrustedRegistry
	rulePackagePin.check = checkPackagePin
	ruleLockfile.check = checkLockfile
	register(ruleFromLatest, ruleFromDigest, ruleFromUnresolved, ruleTrustedRegistry, rulePackagePin, ruleLockfile)
}
