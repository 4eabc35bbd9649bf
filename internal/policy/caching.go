package policy

import (
	"fmt"
)

// layer_caching: a source change does not reinstall dependencies.

var ruleCacheOrder = &rule{
	id: "cache-order", key: keyLayerCaching, sev: Medium,
	summary: "A dependency install (npm ci/install, yarn, pnpm, pip install -r, poetry install, go mod download, bundle install, composer install, cargo fetch/build) runs after a COPY of the whole context in the same stage, so every source change reinstalls dependencies.",
	bad:     "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nUSER 10001",
	good:    "FROM node:20-alpine\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nUSER 10001",
	fix:     "Copy only the manifests and lockfile first, install, then copy the rest: `COPY package.json package-lock.json ./` → `RUN npm ci` → `COPY . .`.",
}

func checkCacheOrder(c *ctx) {
	for _, s := range c.f.Stages {
		copied := 0
		for _, ins := range s.Instructions {
			if ci := copyOf(ins); ci != nil && ci.wholeContext() && copied == 0 {
				copied = ins.Line
				continue
			}
			ri := c.runs[ins]
			if ri == nil || copied == 0 {
				continue
			}
			for i := range ri.ops {
				if op := &ri.ops[i]; op.isDepInstall() {
					c.reportAt(ruleCacheOrder, ins, fmt.Sprintf("%s %s runs after the whole context is copied (line %d): any source change reinstalls every dependency", op.tool, op.verb, copied))
					break
				}
			}
		}
	}
}

var ruleAptUpdateAlone = &rule{
	id: "apt-update-alone", key: keyLayerCaching, sev: Medium,
	aliases: []string{"DS-0017", "CIS-DI-0007", "CKV_DOCKER_5"},
	summary: "`apt-get update`/`apk update` in a RUN without an install in the same RUN: the cached index layer goes stale and later installs fail or get old packages.",
	bad:     "FROM debian:12-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nUSER 10001",
	good:    "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nUSER 10001",
	fix:     "Update and install in the same RUN: `RUN apt-get update && apt-get install -y --no-install-recommends … && rm -rf /var/lib/apt/lists/*` (apk: `apk add --no-cache …`).",
}

func checkAptUpdateAlone(c *ctx) {
	for _, ins := range c.allIns() {
		ri := c.runs[ins]
		if ri == nil {
			continue
		}
		update, install := "", false
		for i := range ri.ops {
			op := &ri.ops[i]
			if (op.mgr == "apt" || op.mgr == "apk") && op.verb == "update" {
				update = op.tool + " update"
			}
			if op.isOSInstall() {
				install = true
			}
		}
		if update != "" && !install {
			c.reportAt(ruleAptUpdateAlone, ins, update+" runs without an install in the same RUN")
		}
	}
}

var ruleCacheMount = &rule{
	id: "cache-mount", key: keyLayerCaching, sev: Info,
	summary: "A package-manager install without `--mount=type=cache`: every rebuild downloads everything again.",
	bad:     "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nUSER 10001",
	good:    "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\nUSER 10001",
	fix:     "Mount the package manager's cache: `RUN --mount=type=cache,target=/root/.npm npm ci` (pip: /root/.cache/pip, apt: /var/cache/apt and /var/lib/apt, apk: /var/cache/apk, go: /go/pkg/mod).",
}

func checkCacheMount(c *ctx) {
	for _, ins := range c.allIns() {
		ri := c.runs[ins]
		if ri == nil || ri.hasCacheMount() {
			continue
		}
		for i := range ri.ops {
			op := &ri.ops[i]
			if op.isOSInstall() || op.isDepInstall() || (op.mgr == "pip" && op.verb == "install") ||
				(op.mgr == "gem" && op.verb == "install") || ((op.mgr == "npm" || op.mgr == "pnpm") && op.verb == "install") ||
				(op.mgr == "yarn" && op.verb == "add") {
				c.reportAt(ruleCacheMount, ins, fmt.Sprintf("%s %s without --mount=type=cache downloads everything on every rebuild", op.tool, op.verb))
				break
			}
		}
	}
}

func init() {
	ruleCacheOrder.check = checkCacheOrder
	ruleAptUpdateAlone.check = checkAptUpdateAlone
	ruleCacheMount.check = checkCacheMount
	register(ruleCacheOrder, ruleAptUpdateAlone, ruleCacheMount)
}
