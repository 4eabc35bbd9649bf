package policy

import (
	"fmt"
)

// non_root_user: the container must not run as root.

var ruleUserRoot = &rule{
	id: "user-root", key: keyNonRootUser, sev: High,
	aliases: []string{"DL3002", "DS-0002", "DS002", "CKV_DOCKER_3", "CKV_DOCKER_8", "CIS-DI-0001"},
	summary: "The runtime chain sets no USER, or its last USER is root (`root`, `0`, `root:*`, `0:*`). A base image known to run as non-root (distroless `:nonroot`, Chainguard) passes.",
	bad:     "FROM node:20-alpine\nUSER node\nFROM node:20-alpine\nCMD [\"node\", \"server.js\"]",
	good:    "FROM node:20-alpine\nUSER 10001:10001\nCMD [\"node\", \"server.js\"]",
	fix:     "Add `USER 10001:10001` (a non-root numeric UID:GID) to the final stage after the steps that need root; a USER in a build stage does not carry into the image.",
}

func checkUserRoot(c *ctx) {
	if c.target == nil {
		return
	}
	u := c.lastUser()
	switch {
	case u == nil && c.base.nonRoot:
	case u == nil:
		c.reportMissing(ruleUserRoot, fmt.Sprintf("the runtime stage %q and the stages it is built FROM set no USER: the container runs as root", c.target.ID()))
	case !u.unresolved && isRootUser(u.value):
		c.reportAt(ruleUserRoot, u.ins, fmt.Sprintf("USER %s: the container runs as root", u.value))
	}
}

var ruleUserNumeric = &rule{
	id: "user-numeric", key: keyNonRootUser, sev: Low,
	aliases: []string{"DL3066"},
	summary: "The final USER is a name, not a numeric UID: Kubernetes `runAsNonRoot` cannot verify a name.",
	bad:     "FROM node:20-alpine\nUSER node\nCMD [\"node\", \"server.js\"]",
	good:    "FROM node:20-alpine\nUSER 1000:1000\nCMD [\"node\", \"server.js\"]",
	fix:     "Use the numeric UID (and GID) of the user, e.g. `USER 10001:10001`, so the kubelet can check runAsNonRoot.",
}

func checkUserNumeric(c *ctx) {
	if c.target == nil {
		return
	}
	u := c.lastUser()
	if u == nil || u.unresolved || isRootUser(u.value) {
		return
	}
	if name := userPart(u.value); !isNumeric(name) {
		c.reportAt(ruleUserNumeric, u.ins, fmt.Sprintf("USER %s names a user instead of a numeric UID", u.value))
	}
}

var ruleSudo = &rule{
	id: "sudo", key: keyNonRootUser, sev: Medium,
	aliases: []string{"DL3004", "DS-0010", "CKV2_DOCKER_1"},
	summary: "`sudo` in RUN (or installed in the runtime image): it hides which steps need root and gives the runtime user a way back to it.",
	bad:     "FROM debian:12-slim\nUSER 10001\nRUN sudo apt-get update",
	good:    "FROM debian:12-slim\nRUN apt-get update\nUSER 10001",
	fix:     "Run the step before `USER` (as root) instead of through sudo, and do not install sudo in the runtime image.",
}

func checkSudo(c *ctx) {
	for _, ins := range c.allIns() {
		ri := c.runs[ins]
		if ri == nil {
			continue
		}
		for _, cmd := range ri.cmds {
			if cmd.sudo || cmd.name() == "sudo" {
				c.reportAt(ruleSudo, ins, "RUN uses sudo")
				break
			}
		}
		if c.inRT[ins.Stage] {
			for _, op := range ri.ops {
				if op.isOSInstall() && hasPackage(&op, "sudo") {
					c.reportAt(ruleSudo, ins, "the runtime image installs sudo")
					break
				}
			}
		}
	}
}

func hasPackage(op *pkgOp, names ...string) bool {
	for _, p := range op.pkgs {
		n := osPackageName(op.mgr, p)
		for _, want := range names {
			if n == want {
				return true
			}
		}
	}
	return false
}

func init() {
	ruleUserRoot.check = checkUserRoot
	ruleUserNumeric.check = checkUserNumeric
	ruleSudo.check = checkSudo
	register(ruleUserRoot, ruleUserNumeric, ruleSudo)
}
