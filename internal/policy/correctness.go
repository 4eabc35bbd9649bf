package policy

import (
	"fmt"
	"strings"

	"github.com/prodimage/terraform-provider-prodimage/internal/dockerfile"
)

// runtime_correctness: the failure modes the brief lists (musl/CGO, CA
// certificates, time zones, heap size, buffering).

var ruleGoStatic = &rule{
	id: "go-static", key: keyRuntimeCorrectness, sev: High,
	summary: "A Go binary built without `CGO_ENABLED=0` is copied into a scratch, distroless-static or alpine runtime: it links libc dynamically and fails to start (or hits musl DNS issues).",
	bad:     "FROM golang:1.22 AS build\nCOPY . .\nRUN go build -o /server .\nFROM scratch\nCOPY --from=build /server /server\nUSER 65532\nENTRYPOINT [\"/server\"]",
	good:    "FROM golang:1.22 AS build\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /server .\nFROM scratch\nCOPY --from=build /server /server\nUSER 65532\nENTRYPOINT [\"/server\"]",
	fix:     "Build with `CGO_ENABLED=0` (`RUN CGO_ENABLED=0 go build …` or `ENV CGO_ENABLED=0` in the build stage) for a static binary.",
}

func checkGoStatic(c *ctx) {
	if c.target == nil {
		return
	}
	if !(c.base.kind == baseScratch || c.base.static || c.base.kind == baseBusybox && strings.Contains(c.base.name, "alpine")) {
		return
	}
	for _, ins := range c.chainIns() {
		if ins.FromStage == nil || c.inRT[ins.FromStage] {
			continue
		}
		if b := c.dynamicGoBuild(ins.FromStage); b != nil {
			c.reportAt(ruleGoStatic, ins, fmt.Sprintf("COPY --from=%s takes a Go binary built without CGO_ENABLED=0 (line %d) into %s, which has no glibc", ins.FromStage.ID(), b.Line, baseName(c.base)))
		}
	}
}

// dynamicGoBuild finds a go build without CGO_ENABLED=0 in a stage or the
// stages it is built FROM.
func (c *ctx) dynamicGoBuild(st *dockerfile.Stage) *dockerfile.Instruction {
	for _, s := range c.f.RuntimeChain(st) {
		for _, b := range s.Instructions {
			if ri := c.runs[b]; ri != nil && goBuilds(ri) && !cgoDisabled(ri) {
				return b
			}
		}
	}
	return nil
}

func goBuilds(ri *runInfo) bool {
	for i := range ri.ops {
		if op := &ri.ops[i]; op.mgr == "go" && (op.verb == "build" || op.verb == "install") {
			return true
		}
	}
	return false
}

func cgoDisabled(ri *runInfo) bool {
	if v, ok := ri.ins.Vars.Get("CGO_ENABLED"); ok && v == "0" {
		return true
	}
	for i := range ri.ops {
		if op := &ri.ops[i]; op.mgr == "go" && op.cmd.assigns["CGO_ENABLED"] == "0" {
			return true
		}
	}
	return strings.Contains(ri.script, "export CGO_ENABLED=0")
}

var ruleScratchCACerts = &rule{
	id: "scratch-ca-certs", key: keyRuntimeCorrectness, sev: Medium,
	summary: "A scratch runtime without `/etc/ssl/certs` copied in: every outgoing TLS connection fails with an unknown-authority error.",
	bad:     "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /server .\nFROM scratch\nCOPY --from=build /server /server\nUSER 65532\nENTRYPOINT [\"/server\"]",
	good:    "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /server .\nFROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /server /server\nUSER 65532\nENTRYPOINT [\"/server\"]",
	fix:     "Copy the CA bundle from the build stage: `COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`.",
}

func (c *ctx) chainCopies(fragment string) bool {
	for _, ins := range c.chainIns() {
		if ci := copyOf(ins); ci != nil {
			if strings.Contains(ci.dest, fragment) {
				return true
			}
			for _, s := range ci.srcs {
				if strings.Contains(s, fragment) {
					return true
				}
			}
		}
	}
	return false
}

func checkScratchCACerts(c *ctx) {
	if c.target == nil || c.base.kind != baseScratch {
		return
	}
	if c.chainCopies("/etc/ssl/") || c.chainCopies("ca-certificates") {
		return
	}
	c.reportMissing(ruleScratchCACerts, "the scratch runtime has no CA certificates (/etc/ssl/certs): TLS connections will fail")
}

var ruleScratchTzdata = &rule{
	id: "scratch-tzdata", key: keyRuntimeCorrectness, sev: Low,
	summary: "A scratch runtime that sets `TZ` without `/usr/share/zoneinfo`: the zone cannot be loaded.",
	bad:     "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /server .\nFROM scratch\nCOPY --from=build /server /server\nENV TZ=Europe/Paris\nUSER 65532\nENTRYPOINT [\"/server\"]",
	good:    "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /server .\nFROM scratch\nCOPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo\nCOPY --from=build /server /server\nENV TZ=Europe/Paris\nUSER 65532\nENTRYPOINT [\"/server\"]",
	fix:     "Copy the zone database from the build stage (`COPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo`) or build Go with `-tags timetzdata`.",
}

func checkScratchTzdata(c *ctx) {
	if c.target == nil || c.base.kind != baseScratch {
		return
	}
	if tz, ok := c.chainEnv("TZ"); !ok || tz == "" {
		return
	}
	if c.chainCopies("zoneinfo") {
		return
	}
	c.reportMissing(ruleScratchTzdata, "the scratch runtime sets TZ but has no /usr/share/zoneinfo")
}

var ruleNodeHeap = &rule{
	id: "node-heap", key: keyRuntimeCorrectness, sev: Low,
	summary: "A Node runtime without `--max-old-space-size` in NODE_OPTIONS (or on the node command line): the heap is sized from the host, not the container limit, and the container is OOM-killed.",
	bad:     "FROM node:20-alpine\nENV NODE_ENV=production\nUSER 10001\nCMD [\"node\", \"server.js\"]",
	good:    "FROM node:20-alpine\nENV NODE_ENV=production NODE_OPTIONS=\"--max-old-space-size=384\"\nUSER 10001\nCMD [\"node\", \"server.js\"]",
	fix:     "Set the heap below the memory limit: `ENV NODE_OPTIONS=\"--max-old-space-size=384\"` for a 512 MiB container.",
}

func checkNodeHeap(c *ctx) {
	if !c.nodeRuntime() {
		return
	}
	if v, _ := c.chainEnv("NODE_OPTIONS"); strings.Contains(v, "--max-old-space-size") {
		return
	}
	if p := c.effectiveProcess(); p != nil {
		for _, w := range p.words {
			if strings.HasPrefix(w, "--max-old-space-size") {
				return
			}
		}
	}
	c.reportMissing(ruleNodeHeap, "the Node runtime does not set --max-old-space-size: V8 sizes its heap from the host's memory, not the container limit")
}

var rulePythonUnbuffered = &rule{
	id: "python-unbuffered", key: keyRuntimeCorrectness, sev: Low,
	summary: "A Python runtime without `PYTHONUNBUFFERED=1`: logs sit in a buffer and are lost when the container dies.",
	bad:     "FROM python:3.12-slim\nENV PYTHONDONTWRITEBYTECODE=1\nUSER 10001\nCMD [\"python\", \"-m\", \"app\"]",
	good:    "FROM python:3.12-slim\nENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\nUSER 10001\nCMD [\"python\", \"-m\", \"app\"]",
	fix:     "Add `ENV PYTHONUNBUFFERED=1` to the runtime stage.",
}

func checkPythonUnbuffered(c *ctx) {
	if !c.pythonRuntime() {
		return
	}
	if v, ok := c.chainEnv("PYTHONUNBUFFERED"); ok && v != "" {
		return
	}
	if p := c.effectiveProcess(); p != nil && len(p.words) > 1 && pythonProcRe.MatchString(p.words[0]) && p.words[1] == "-u" {
		return
	}
	c.reportMissing(rulePythonUnbuffered, "the Python runtime does not set PYTHONUNBUFFERED=1")
}

func init() {
	ruleGoStatic.check = checkGoStatic
	ruleScratchCACerts.check = checkScratchCACerts
	ruleScratchTzdata.check = checkScratchTzdata
	ruleNodeHeap.check = checkNodeHeap
	rulePythonUnbuffered.check = checkPythonUnbuffered
	register(ruleGoStatic, ruleScratchCACerts, ruleScratchTzdata, ruleNodeHeap, rulePythonUnbuffered)
}
