package policy

import (
	"fmt"
	"path"
	"strings"

	"github.com/prodimage/terraform-provider-prodimage/internal/dockerfile"
)

// copy_chown: application files get their owner when they are copied.

var ruleChownLayer = &rule{
	id: "chown-layer", key: keyCopyChown, sev: Medium,
	summary: "Runtime chain: `RUN chown -R`/`chmod -R` on files copied earlier: the files are stored twice, once per layer.",
	bad:     "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN chown -R 10001:10001 /app\nUSER 10001",
	good:    "FROM node:20-alpine\nWORKDIR /app\nCOPY --chown=10001:10001 . .\nUSER 10001",
	fix:     "Set ownership and mode while copying (`COPY --chown=10001:10001 --chmod=…`) and drop the recursive chown/chmod.",
}

func checkChownLayer(c *ctx) {
	type copied struct {
		dest string
		line int
	}
	var dests []copied
	for _, ins := range c.chainIns() {
		if ci := copyOf(ins); ci != nil {
			dests = append(dests, copied{strings.TrimSuffix(ci.dest, "/"), ins.Line})
			continue
		}
		ri := c.runs[ins]
		if ri == nil {
			continue
		}
	cmds:
		for _, cmd := range ri.cmds {
			if n := cmd.name(); (n != "chown" && n != "chmod") || !(cmd.hasShort('R') || cmd.hasArg("--recursive")) {
				continue
			}
			operands := nonFlags(cmd.args())
			if len(operands) < 2 {
				continue
			}
			for _, target := range operands[1:] {
				t, _ := ins.Expand(target)
				t = absPath(ins.Workdir, t)
				for _, d := range dests {
					if overlaps(t, d.dest) {
						c.reportAt(ruleChownLayer, ins, fmt.Sprintf("%s -R %s rewrites files copied at line %d: they are stored again in this layer", cmd.name(), target, d.line))
						break cmds
					}
				}
			}
		}
	}
}

func nonFlags(args []string) []string {
	var out []string
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			out = append(out, a)
		}
	}
	return out
}

func overlaps(a, b string) bool {
	a, b = path.Clean(a), path.Clean(b)
	return a == b || strings.HasPrefix(b, a+"/") || strings.HasPrefix(a, b+"/") || a == "/"
}

var ruleCopyChown = &rule{
	id: "copy-chown", key: keyCopyChown, sev: Low,
	summary: "A runtime stage with a non-root USER copies application files (into its WORKDIR) without `--chown`; dependency directories (node_modules, .venv, venv, site-packages, vendor) are exempt.",
	bad:     "FROM node:20-alpine\nWORKDIR /app\nCOPY dist/ ./dist/\nUSER 10001",
	good:    "FROM node:20-alpine\nWORKDIR /app\nCOPY --chown=10001:10001 dist/ ./dist/\nUSER 10001",
	fix:     "Copy application files with `--chown=<uid>:<gid>` of the runtime user (e.g. `COPY --chown=10001:10001 dist/ ./dist/`).",
}

var dependencyDirs = map[string]bool{"node_modules": true, ".venv": true, "venv": true, "site-packages": true, "vendor": true}

func checkCopyChown(c *ctx) {
	if c.target == nil {
		return
	}
	u := c.lastUser()
	if u == nil || u.unresolved || isRootUser(u.value) {
		return
	}
	for _, ins := range c.chainIns() {
		ci := copyOf(ins)
		if ci == nil || ci.chown != "" || !isAppCopy(ins, ci) {
			continue
		}
		c.reportAt(ruleCopyChown, ins, fmt.Sprintf("%s into %s without --chown: the files belong to root, not USER %s", ins.Keyword, ci.dest, u.value))
	}
}

// isAppCopy reports a copy into the application directory (an explicit
// WORKDIR other than /) that is not a dependency tree.
func isAppCopy(ins *dockerfile.Instruction, ci *copyInfo) bool {
	if ins.Workdir == "/" || ins.Workdir == "" || !within(strings.TrimSuffix(ci.dest, "/"), ins.Workdir) {
		return false
	}
	for _, p := range append(append([]string(nil), ci.srcs...), ci.dest) {
		for _, part := range strings.Split(p, "/") {
			if dependencyDirs[part] {
				return false
			}
		}
	}
	return true
}

func init() {
	ruleChownLayer.check = checkChownLayer
	ruleCopyChown.check = checkCopyChown
	register(ruleChownLayer, ruleCopyChown)
}
