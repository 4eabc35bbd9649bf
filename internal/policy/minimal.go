package policy

import (
	"fmt"
	"regexp"
	"strings"
)

// minimal_runtime: the runtime image holds what the app needs and no caches.

var ruleAptNoRecommends = &rule{
	id: "apt-no-recommends", key: keyMinimalRuntime, sev: Medium,
	aliases: []string{"DL3015", "DS-0029"},
	summary: "Runtime chain: `apt-get install` without `--no-install-recommends` pulls in packages nobody asked for.",
	bad:     "FROM debian:12-slim\nRUN apt-get update && apt-get install -y tini && rm -rf /var/lib/apt/lists/*\nUSER 10001",
	good:    "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*\nUSER 10001",
	fix:     "Add `--no-install-recommends` to apt-get install.",
}

func checkAptNoRecommends(c *ctx) {
	for _, ri := range c.chainRuns() {
		for i := range ri.ops {
			op := &ri.ops[i]
			if op.mgr != "apt" || op.verb != "install" {
				continue
			}
			if op.has("--no-install-recommends") || hasOption(op, "APT::Install-Recommends", "false", "0") {
				continue
			}
			c.reportAt(ruleAptNoRecommends, ri.ins, op.tool+" install without --no-install-recommends")
			break
		}
	}
}

// hasOption finds an apt "-o Name=value" option with one of the values.
func hasOption(op *pkgOp, name string, values ...string) bool {
	for _, v := range op.values("-o") {
		k, val, _ := strings.Cut(v, "=")
		if strings.EqualFold(k, name) {
			for _, want := range values {
				if strings.EqualFold(strings.Trim(val, `"'`), want) {
					return true
				}
			}
		}
	}
	return false
}

var ruleAptLists = &rule{
	id: "apt-lists", key: keyMinimalRuntime, sev: Medium,
	aliases: []string{"DL3009", "DKL-DI-0005"},
	summary: "Runtime chain: apt-get install without removing `/var/lib/apt/lists/*` in the same RUN (a cache mount on it passes): tens of MB of package index ship in the image.",
	bad:     "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends tini\nUSER 10001",
	good:    "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*\nUSER 10001",
	fix:     "End the RUN with `&& rm -rf /var/lib/apt/lists/*`, or mount caches: `RUN --mount=type=cache,target=/var/lib/apt,sharing=locked --mount=type=cache,target=/var/cache/apt,sharing=locked …`.",
}

var rmAptListsRe = regexp.MustCompile(`rm\s+(-[a-zA-Z]+\s+)*[^;&|]*/var/lib/apt/lists`)

func checkAptLists(c *ctx) {
	for _, ri := range c.chainRuns() {
		for i := range ri.ops {
			op := &ri.ops[i]
			if op.mgr != "apt" || op.verb != "install" {
				continue
			}
			if rmAptListsRe.MatchString(ri.script) || ri.cacheMountOn("/var/lib/apt/lists") {
				break
			}
			c.reportAt(ruleAptLists, ri.ins, op.tool+" install leaves /var/lib/apt/lists in the layer")
			break
		}
	}
}

var ruleApkNoCache = &rule{
	id: "apk-no-cache", key: keyMinimalRuntime, sev: Medium,
	aliases: []string{"DL3019", "DS-0025", "DKL-DI-0004"},
	summary: "Runtime chain: `apk add` without `--no-cache` (or a cache mount on /var/cache/apk) leaves the package index in the image.",
	bad:     "FROM alpine:3.20\nRUN apk update && apk add tini\nUSER 10001",
	good:    "FROM alpine:3.20\nRUN apk add --no-cache tini\nUSER 10001",
	fix:     "Use `apk add --no-cache …`, or `RUN --mount=type=cache,target=/var/cache/apk apk add …`.",
}

func checkApkNoCache(c *ctx) {
	for _, ri := range c.chainRuns() {
		for i := range ri.ops {
			op := &ri.ops[i]
			if op.mgr == "apk" && op.verb == "add" && !op.has("--no-cache") && !ri.cacheMountOn("/var/cache/apk") {
				c.reportAt(ruleApkNoCache, ri.ins, "apk add without --no-cache leaves the package index in the layer")
				break
			}
		}
	}
}

var rulePipNoCache = &rule{
	id: "pip-no-cache", key: keyMinimalRuntime, sev: Low,
	aliases: []string{"DL3042"},
	summary: "Runtime chain: pip install without `--no-cache-dir`, `PIP_NO_CACHE_DIR` or a cache mount keeps pip's download cache in the image.",
	bad:     "FROM python:3.12-slim\nRUN pip install gunicorn==22.0.0\nUSER 10001",
	good:    "FROM python:3.12-slim\nRUN pip install --no-cache-dir gunicorn==22.0.0\nUSER 10001",
	fix:     "Add `--no-cache-dir` (or `ENV PIP_NO_CACHE_DIR=1`, or `RUN --mount=type=cache,target=/root/.cache/pip …`); better, install into a virtualenv in a build stage and copy it.",
}

func checkPipNoCache(c *ctx) {
	for _, ri := range c.chainRuns() {
		for i := range ri.ops {
			op := &ri.ops[i]
			if op.mgr != "pip" || op.verb != "install" || op.has("--no-cache-dir", "--no-cache") {
				continue
			}
			if v, ok := ri.ins.Vars.Get("PIP_NO_CACHE_DIR"); ok && v != "" {
				continue
			}
			if v := op.cmd.assigns["PIP_NO_CACHE_DIR"]; v != "" {
				continue
			}
			if ri.cacheMountOn("/root/.cache/pip", "/root/.cache") || cacheMountNamed(ri, "pip") {
				continue
			}
			c.reportAt(rulePipNoCache, ri.ins, op.tool+" install keeps its download cache in the layer")
			break
		}
	}
}

func cacheMountNamed(ri *runInfo, word string) bool {
	for _, m := range ri.mounts() {
		if m.Type == "cache" && strings.Contains(m.Target, word) {
			return true
		}
	}
	return false
}

var rulePkgClean = &rule{
	id: "pkg-clean", key: keyMinimalRuntime, sev: Low,
	aliases: []string{"DL3032", "DL3040", "DL3036", "DS-0015", "DS-0019", "DS-0020", "DS-0027"},
	summary: "Runtime chain: yum/dnf/zypper/microdnf install without a clean in the same RUN leaves the package cache in the image.",
	bad:     "FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nRUN microdnf install -y shadow-utils-4.9\nUSER 10001",
	good:    "FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nRUN microdnf install -y shadow-utils-4.9 && microdnf clean all\nUSER 10001",
	fix:     "End the RUN with `&& yum clean all` (dnf/microdnf: `clean all`, zypper: `zypper clean --all`) or mount /var/cache/dnf as a cache.",
}

var rmPkgCacheRe = regexp.MustCompile(`rm\s+(-[a-zA-Z]+\s+)*[^;&|]*/var/cache/(yum|dnf|libdnf5|zypp)`)

func checkPkgClean(c *ctx) {
	for _, ri := range c.chainRuns() {
		install, clean := "", false
		for i := range ri.ops {
			op := &ri.ops[i]
			if op.mgr != "yum" {
				continue
			}
			if op.verb == "install" {
				install = op.tool
			}
			if op.verb == "clean" || op.verb == "cc" {
				clean = true
			}
		}
		if install == "" || clean || rmPkgCacheRe.MatchString(ri.script) ||
			ri.cacheMountOn("/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5", "/var/cache/zypp") {
			continue
		}
		c.reportAt(rulePkgClean, ri.ins, fmt.Sprintf("%s install without %s clean leaves the package cache in the layer", install, install))
	}
}

var ruleDistUpgrade = &rule{
	id: "dist-upgrade", key: keyMinimalRuntime, sev: Low,
	aliases: []string{"DL3005", "DS-0024", "DKL-DI-0003"},
	summary: "`apt-get upgrade`/`dist-upgrade` in any stage: the result depends on the day of the build; update the pinned base image instead.",
	bad:     "FROM debian:12-slim\nRUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*\nUSER 10001",
	good:    "FROM debian:12.7-slim\nUSER 10001",
	fix:     "Move to a newer pinned base image (its digest) instead of upgrading packages in the build.",
}

func checkDistUpgrade(c *ctx) {
	for _, ins := range c.allIns() {
		ri := c.runs[ins]
		if ri == nil {
			continue
		}
		for i := range ri.ops {
			op := &ri.ops[i]
			if op.mgr == "apt" && (op.verb == "upgrade" || op.verb == "dist-upgrade" || op.verb == "full-upgrade") {
				c.reportAt(ruleDistUpgrade, ins, fmt.Sprintf("%s %s upgrades packages at build time", op.tool, op.verb))
				break
			}
		}
	}
}

func init() {
	ruleAptNoRecommends.check = checkAptNoRecommends
	ruleAptLists.check = checkAptLists
	ruleApkNoCache.check = checkApkNoCache
	rulePipNoCache.check = checkPipNoCache
	rulePkgClean.check = checkPkgClean
	ruleDistUpgrade.check = checkDistUpgrade
	register(ruleAptNoRecommends, ruleAptLists, ruleApkNoCache, rulePipNoCache, rulePkgClean, ruleDistUpgrade)
}
