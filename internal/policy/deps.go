package policy

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/prodimage/terraform-provider-prodimage/internal/dockerfile"
)

// production_deps: the runtime image holds production dependencies only.

var ruleDevDependencies = &rule{
	id: "dev-dependencies", key: keyProductionDeps, sev: Medium,
	summary: "The runtime chain installs dev dependencies (npm/yarn/pnpm without omitting dev and no later prune; poetry without `--without dev`/`--only main`; `pip install -r *dev*.txt`; bundle without BUNDLE_WITHOUT; composer without `--no-dev`), or copies node_modules from a stage that did.",
	bad:     "FROM node:20-alpine AS deps\nCOPY package.json package-lock.json ./\nRUN npm ci\nFROM node:20-alpine\nCOPY --from=deps /node_modules ./node_modules\nUSER 10001",
	good:    "FROM node:20-alpine AS deps\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\nFROM node:20-alpine\nCOPY --from=deps /node_modules ./node_modules\nUSER 10001",
	fix:     "Install production dependencies only in what ships: `npm ci --omit=dev` (or `npm prune --omit=dev` after the build), `yarn install --production`, `pnpm install --prod`, `poetry install --only main`, `composer install --no-dev`, `ENV BUNDLE_WITHOUT=development:test`.",
}

var devReqRe = regexp.MustCompile(`(?i)(dev|test)`)

// devInstall reports whether op installs development dependencies.
func devInstall(ins *dockerfile.Instruction, op *pkgOp) bool {
	env := func(k string) string {
		if v, ok := op.cmd.assigns[k]; ok {
			return v
		}
		v, _ := ins.Vars.Get(k)
		return v
	}
	prodEnv := env("NODE_ENV") == "production"
	switch op.mgr {
	case "npm":
		if op.verb != "ci" && !(op.verb == "install" && len(op.pkgs) == 0) {
			return false
		}
		for _, v := range op.values("--omit") {
			if v == "dev" {
				return false
			}
		}
		return !(op.has("--production") || slices1(op.values("--only"), "prod", "production") || prodEnv)
	case "yarn":
		return op.verb == "install" && !op.has("--production") && !prodEnv
	case "pnpm":
		return op.verb == "install" && len(op.pkgs) == 0 && !op.has("--prod", "-P", "--production") && !prodEnv
	case "poetry":
		if op.verb != "install" && op.verb != "sync" {
			return false
		}
		if op.has("--no-dev") || slices1(op.values("--only"), "main") {
			return false
		}
		for _, v := range op.values("--without") {
			for _, g := range strings.Split(v, ",") {
				if strings.TrimSpace(g) == "dev" {
					return false
				}
			}
		}
		return true
	case "pip":
		if op.verb != "install" {
			return false
		}
		for _, f := range append(op.values("-r"), op.values("--requirement")...) {
			if devReqRe.MatchString(path.Base(f)) {
				return true
			}
		}
		for _, p := range op.pkgs {
			if strings.Contains(p, "[dev") || strings.Contains(p, "[test") {
				return true
			}
		}
		return false
	case "bundle":
		return (op.verb == "install" || op.verb == "") && env("BUNDLE_WITHOUT") == "" && !op.has("--without", "--deployment")
	case "composer":
		return op.verb == "install" && !op.has("--no-dev")
	}
	return false
}

func isPrune(op *pkgOp) bool {
	switch op.mgr {
	case "npm":
		return op.verb == "prune" && (op.has("--production") || slices1(op.values("--omit"), "dev"))
	case "yarn", "pnpm":
		return (op.verb == "prune" || op.verb == "install") && op.has("--production", "--prod")
	}
	return false
}

func slices1(vals []string, want ...string) bool {
	for _, v := range vals {
		for _, w := range want {
			if v == w {
				return true
			}
		}
	}
	return false
}

// devLeft walks stages in order and reports the last dev install not
// followed by a prune, or nil.
func (c *ctx) devLeft(stages []*dockerfile.Stage) (*dockerfile.Instruction, *pkgOp) {
	var ins *dockerfile.Instruction
	var op *pkgOp
	for _, s := range stages {
		for _, i := range s.Instructions {
			ri := c.runs[i]
			if ri == nil {
				continue
			}
			for j := range ri.ops {
				o := &ri.ops[j]
				switch {
				case devInstall(i, o):
					ins, op = i, o
				case isPrune(o) && op != nil && (op.mgr == "npm" || op.mgr == "yarn" || op.mgr == "pnpm"):
					ins, op = nil, nil
				}
			}
		}
	}
	return ins, op
}

func checkDevDependencies(c *ctx) {
	if c.target == nil {
		return
	}
	if ins, op := c.devLeft(c.chain); ins != nil {
		c.reportAt(ruleDevDependencies, ins, fmt.Sprintf("%s %s installs dev dependencies into the runtime image", op.tool, op.verb))
	}
	for _, ins := range c.chainIns() {
		if ins.FromStage == nil || c.inRT[ins.FromStage] {
			continue
		}
		ci := copyOf(ins)
		if ci == nil || !copiesNodeModules(ci) {
			continue
		}
		if src, op := c.devLeft(c.f.RuntimeChain(ins.FromStage)); src != nil {
			c.reportAt(ruleDevDependencies, ins, fmt.Sprintf("COPY --from=%s takes node_modules from a stage whose %s %s (line %d) installed dev dependencies and never pruned them", ins.FromStage.ID(), op.tool, op.verb, src.Line))
		}
	}
}

func copiesNodeModules(ci *copyInfo) bool {
	for _, s := range ci.srcs {
		for _, part := range strings.Split(s, "/") {
			if part == "node_modules" {
				return true
			}
		}
	}
	return false
}

var ruleNodeEnv = &rule{
	id: "node-env", key: keyProductionDeps, sev: Low,
	summary: "A Node runtime without `NODE_ENV=production`: frameworks keep development behaviour (verbose errors, no caching).",
	bad:     "FROM node:20-alpine\nUSER 10001\nCMD [\"node\", \"server.js\"]",
	good:    "FROM node:20-alpine\nENV NODE_ENV=production\nUSER 10001\nCMD [\"node\", \"server.js\"]",
	fix:     "Add `ENV NODE_ENV=production` to the runtime stage.",
}

func checkNodeEnv(c *ctx) {
	if !c.nodeRuntime() {
		return
	}
	if v, _ := c.chainEnv("NODE_ENV"); v != "production" {
		c.reportMissing(ruleNodeEnv, "the Node runtime does not set NODE_ENV=production")
	}
}

func init() {
	ruleDevDependencies.check = checkDevDependencies
	ruleNodeEnv.check = checkNodeEnv
	register(ruleDevDependencies, ruleNodeEnv)
}
