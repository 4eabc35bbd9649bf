package policy

import (
	"fmt"
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/prodimage/terraform-provider-prodimage/internal/dockerfile"
)

// healthcheck: the orchestrator can tell a live container from a stuck one.

var ruleHealthcheckMissing = &rule{
	id: "healthcheck-missing", key: keyHealthcheck, sev: Medium,
	aliases: []string{"DL3057", "DS-0026", "DS026", "CKV_DOCKER_2", "CIS-DI-0006"},
	summary: "No HEALTHCHECK in the runtime chain (a HEALTHCHECK in a build stage does not count). `low` when the runtime base is scratch or distroless, where orchestrator probes are the usual answer; `HEALTHCHECK NONE` is an explicit opt-out and passes.",
	bad:     "FROM node:20-alpine AS build\nHEALTHCHECK CMD wget -q --spider http://localhost:3000/health\nFROM node:20-alpine\nUSER 10001\nCMD [\"node\", \"server.js\"]",
	good:    "FROM node:20-alpine\nUSER 10001\nHEALTHCHECK --interval=30s --timeout=5s CMD wget -q --spider http://localhost:3000/health || exit 1\nCMD [\"node\", \"server.js\"]",
	fix:     "Add a HEALTHCHECK to the final stage that probes the app (e.g. `HEALTHCHECK --interval=30s --timeout=5s CMD wget -q --spider http://127.0.0.1:3000/health || exit 1`); for images without a shell, use an exec-form probe built into the binary, or `HEALTHCHECK NONE` if Kubernetes probes cover it.",
}

func (c *ctx) lastHealthcheck() (*dockerfile.Instruction, *instructions.HealthCheckCommand) {
	var ins *dockerfile.Instruction
	var hc *instructions.HealthCheckCommand
	for _, i := range c.chainIns() {
		if h, ok := i.Command.(*instructions.HealthCheckCommand); ok {
			ins, hc = i, h
		}
	}
	return ins, hc
}

func checkHealthcheckMissing(c *ctx) {
	if c.target == nil {
		return
	}
	if ins, _ := c.lastHealthcheck(); ins != nil {
		return
	}
	msg := fmt.Sprintf("the runtime stage %q has no HEALTHCHECK", c.target.ID())
	for _, s := range c.f.Stages {
		if c.inRT[s] {
			continue
		}
		for _, i := range s.Instructions {
			if _, ok := i.Command.(*instructions.HealthCheckCommand); ok {
				msg += fmt.Sprintf(" (the one at line %d is in build stage %q, which is not in the image)", i.Line, s.ID())
				break
			}
		}
	}
	h := c.reportMissing(ruleHealthcheckMissing, msg)
	if c.base.noShell() {
		h.sev = Low
		h.msg += fmt.Sprintf("; the base %s has no shell or HTTP client, so Kubernetes probes or a probe built into the binary are the usual answer", baseName(c.base))
	}
}

func baseName(b baseInfo) string {
	if b.name == "" {
		return "image"
	}
	return b.name
}

var ruleHealthcheckTool = &rule{
	id: "healthcheck-tool", key: keyHealthcheck, sev: High,
	summary: "The HEALTHCHECK runs curl or wget that the runtime image does not have (scratch and distroless have neither, nor a shell; Debian/Ubuntu slim have neither unless installed; alpine/busybox have wget but not curl), so the container is marked unhealthy forever.",
	bad:     "FROM python:3.12-slim\nUSER 10001\nHEALTHCHECK CMD curl -f http://localhost:8000/health || exit 1",
	good:    "FROM python:3.12-slim\nUSER 10001\nHEALTHCHECK CMD [\"python\", \"-c\", \"import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=3)\"]",
	fix:     "Probe with something the image has: wget on alpine, the runtime itself (`python -c …`, `node healthcheck.js`), or a `-healthcheck` flag in the binary; or install the tool in the runtime stage.",
}

func checkHealthcheckTool(c *ctx) {
	if c.target == nil {
		return
	}
	ins, hc := c.lastHealthcheck()
	if hc == nil || hc.Health == nil || len(hc.Health.Test) == 0 || strings.EqualFold(hc.Health.Test[0], "NONE") {
		return
	}
	var cmds []shCmd
	if hc.Health.Test[0] == "CMD-SHELL" {
		if c.base.noShell() && !c.chainHas("sh") {
			c.reportAt(ruleHealthcheckTool, ins, fmt.Sprintf("HEALTHCHECK in shell form needs /bin/sh, which %s does not have", baseName(c.base)))
			return
		}
		cmds = parseShell(strings.Join(hc.Health.Test[1:], " "))
	} else if len(hc.Health.Test) > 1 {
		cmds = []shCmd{{words: hc.Health.Test[1:]}}
	}
	for _, cmd := range cmds {
		tool := cmd.name()
		if tool != "curl" && tool != "wget" {
			continue
		}
		if !c.chainHas(tool) {
			c.reportAt(ruleHealthcheckTool, ins, fmt.Sprintf("HEALTHCHECK runs %s, which %s does not have and the runtime stages do not install", tool, baseName(c.base)))
			return
		}
	}
}

// chainHas reports whether a tool exists in the runtime image: shipped by
// the base, installed by a package manager, or copied in.
func (c *ctx) chainHas(tool string) bool {
	if c.installsOSPackage(tool) {
		return true
	}
	for _, ins := range c.chainIns() {
		if ci := copyOf(ins); ci != nil && path.Base(strings.TrimSuffix(ci.dest, "/")) == tool {
			return true
		}
	}
	switch c.base.kind {
	case baseScratch, baseDistroless, baseMinimal:
		return false
	case baseBusybox:
		return tool != "curl"
	}
	return true
}

var ruleHealthcheckMultiple = &rule{
	id: "healthcheck-multiple", key: keyHealthcheck, sev: Low,
	aliases: []string{"DL3012", "DS-0023"},
	summary: "More than one HEALTHCHECK in a stage: only the last one counts.",
	bad:     "FROM alpine:3.20\nHEALTHCHECK CMD wget -q --spider http://localhost/\nHEALTHCHECK CMD wget -q --spider http://localhost/health\nUSER 10001",
	good:    "FROM alpine:3.20\nHEALTHCHECK CMD wget -q --spider http://localhost/health\nUSER 10001",
	fix:     "Keep one HEALTHCHECK per stage.",
}

func checkHealthcheckMultiple(c *ctx) {
	for _, s := range c.f.Stages {
		first := 0
		for _, ins := range s.Instructions {
			if _, ok := ins.Command.(*instructions.HealthCheckCommand); !ok {
				continue
			}
			if first == 0 {
				first = ins.Line
				continue
			}
			c.reportAt(ruleHealthcheckMultiple, ins, fmt.Sprintf("another HEALTHCHECK in stage %q (the first is at line %d); only the last one counts", s.ID(), first))
		}
	}
}

func init() {
	ruleHealthcheckMissing.check = checkHealthcheckMissing
	ruleHealthcheckTool.check = checkHealthcheckTool
	ruleHealthcheckMultiple.check = checkHealthcheckMultiple
	register(ruleHealthcheckMissing, ruleHealthcheckTool, ruleHealthcheckMultiple)
}
