package policy

import (
	"fmt"
	"path"
	"strings"
)

// dockerignore: the context sent to the builder leaves out what the image
// must not hold.

var ruleDockerignoreMissing = &rule{
	id: "dockerignore-missing", key: keyDockerignore, sev: Medium,
	summary: "The build context has no `.dockerignore` (nor `<Dockerfile>.dockerignore`): everything, .git and .env included, is sent to the builder.",
	bad:     "FROM alpine:3.20\nUSER 10001\n# (no .dockerignore beside it)",
	good:    "FROM alpine:3.20\nUSER 10001\n# .dockerignore: .git .env* node_modules …",
	fix:     "Add a .dockerignore next to the Dockerfile excluding at least .git, .env*, and build outputs and dependency folders (node_modules, __pycache__, .venv).",
}

// reportContext anchors findings about the context at the target FROM, or
// at line 0 when the file has no stage.
func (c *ctx) reportContext(r *rule, msg string) *hit {
	if c.target == nil {
		return c.report(r, 0, nil, msg)
	}
	return c.reportMissing(r, msg)
}

func checkDockerignoreMissing(c *ctx) {
	if c.in.Dockerignore == nil {
		c.reportContext(ruleDockerignoreMissing, "the build context has no .dockerignore: .git, .env files and local artifacts are sent to the builder")
	}
}

var ruleDockerignoreIncomplete = &rule{
	id: "dockerignore-incomplete", key: keyDockerignore, sev: Medium,
	summary: "`.dockerignore` does not exclude `.git` and `.env*` (and `node_modules` beside package.json, `__pycache__`/`.venv` beside Python projects).",
	bad:     "FROM node:20-alpine\nCOPY package.json package-lock.json ./\nUSER 10001\n# .dockerignore: dist",
	good:    "FROM node:20-alpine\nCOPY package.json package-lock.json ./\nUSER 10001\n# .dockerignore: .git .env* node_modules dist",
	fix:     "Add the missing entries to .dockerignore (one per line, e.g. `.git`, `.env*`, `node_modules`, `__pycache__`, `.venv`).",
}

func checkDockerignoreIncomplete(c *ctx) {
	if c.in.Dockerignore == nil {
		return
	}
	want := []string{".git", ".env*"}
	if c.project("package.json") {
		want = append(want, "node_modules")
	}
	if c.project("pyproject.toml", "requirements*.txt", "setup.py", "Pipfile", "poetry.lock") {
		want = append(want, "__pycache__", ".venv")
	}
	if missing := c.notExcluded(want...); len(missing) > 0 {
		c.reportContext(ruleDockerignoreIncomplete, fmt.Sprintf("%s does not exclude %s", c.in.DockerignoreName, strings.Join(missing, ", ")))
	}
}

// project reports whether the context holds one of the marker files: from
// ContextFiles when known, and from what the Dockerfile copies.
func (c *ctx) project(markers ...string) bool {
	match := func(name string) bool {
		for _, m := range markers {
			if ok, _ := path.Match(m, path.Base(name)); ok {
				return true
			}
		}
		return false
	}
	for _, f := range c.in.ContextFiles {
		if match(f) {
			return true
		}
	}
	for _, ins := range c.allIns() {
		if ci := copyOf(ins); ci != nil && ci.fromContext() {
			for _, s := range ci.srcs {
				if match(s) || (strings.ContainsAny(s, "*?[") && globCovers(s, markers)) {
					return true
				}
			}
		}
	}
	return false
}

// globCovers reports whether a COPY glob such as "package*.json" matches a marker.
func globCovers(glob string, markers []string) bool {
	for _, m := range markers {
		if ok, _ := path.Match(path.Base(glob), m); ok {
			return true
		}
	}
	return false
}

func init() {
	ruleDockerignoreMissing.check = checkDockerignoreMissing
	ruleDockerignoreIncomplete.check = checkDockerignoreIncomplete
	register(ruleDockerignoreMissing, ruleDockerignoreIncomplete)
}
