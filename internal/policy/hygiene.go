package policy

import (
	"fmt"
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/prodimage/terraform-provider-prodimage/internal/dockerfile"
)

// hygiene: generic Dockerfile correctness.

var ruleWorkdirRelative = &rule{
	id: "workdir-relative", key: keyHygiene, sev: Low,
	aliases: []string{"DL3000", "DS-0009", "CKV_DOCKER_10"},
	summary: "Relative WORKDIR: where it lands depends on the previous WORKDIR, possibly in a base image you do not control.",
	bad:     "FROM alpine:3.20\nWORKDIR app\nUSER 10001",
	good:    "FROM alpine:3.20\nWORKDIR /app\nUSER 10001",
	fix:     "Use an absolute path: `WORKDIR /app`.",
}

func checkWorkdirRelative(c *ctx) {
	for _, ins := range c.allIns() {
		wc, ok := ins.Command.(*instructions.WorkdirCommand)
		if !ok || strings.HasPrefix(wc.Path, "$") {
			continue
		}
		p, _ := ins.Expand(wc.Path)
		if !path.IsAbs(p) && !windowsAbs(p) {
			c.reportAt(ruleWorkdirRelative, ins, fmt.Sprintf("WORKDIR %s is relative", wc.Path))
		}
	}
}

func windowsAbs(p string) bool {
	return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/')
}

var ruleCdInRun = &rule{
	id: "cd-in-run", key: keyHygiene, sev: Low,
	aliases: []string{"DL3003", "DS-0013"},
	summary: "`cd` in RUN instead of WORKDIR: later instructions do not see it and readers lose track of where they are.",
	bad:     "FROM alpine:3.20\nRUN cd /app && ./configure\nUSER 10001",
	good:    "FROM alpine:3.20\nWORKDIR /app\nRUN ./configure\nUSER 10001",
	fix:     "Use `WORKDIR /dir` before the RUN (or the tool's own directory flag, e.g. `make -C dir`).",
}

func checkCdInRun(c *ctx) {
	for _, ins := range c.allIns() {
		ri := c.runs[ins]
		if ri == nil {
			continue
		}
		for _, cmd := range ri.cmds {
			if cmd.name() == "cd" {
				c.reportAt(ruleCdInRun, ins, "RUN changes directory with cd")
				break
			}
		}
	}
}

var rulePipefail = &rule{
	id: "pipefail", key: keyHygiene, sev: Low,
	aliases: []string{"DL4006"},
	summary: "RUN with a pipe under /bin/sh (or a SHELL without pipefail) and no `set -o pipefail`: a failure on the left of the pipe is ignored.",
	bad:     "FROM alpine:3.20\nRUN wget -qO- https://example.com/list.txt | sort > /list.txt\nUSER 10001",
	good:    "FROM alpine:3.20\nRUN set -o pipefail && wget -qO- https://example.com/list.txt | sort > /list.txt\nUSER 10001",
	fix:     "Start the RUN with `set -o pipefail &&`, or set `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before it.",
}

func checkPipefail(c *ctx) {
	for _, ins := range c.allIns() {
		ri := c.runs[ins]
		if ri == nil || !ri.shellForm {
			continue
		}
		piped := false
		for _, cmd := range ri.cmds {
			if cmd.pipeOut {
				piped = true
				break
			}
		}
		if !piped || strings.Contains(ri.script, "pipefail") || shellHasPipefail(ins) {
			continue
		}
		c.reportAt(rulePipefail, ins, fmt.Sprintf("RUN pipes commands under %s without pipefail: a failure before the pipe is ignored", strings.Join(ins.Shell, " ")))
	}
}

func shellHasPipefail(ins *dockerfile.Instruction) bool {
	if len(ins.Shell) == 0 {
		return false
	}
	switch strings.ToLower(path.Base(strings.ReplaceAll(ins.Shell[0], `\`, "/"))) {
	case "pwsh", "powershell", "cmd", "cmd.exe", "powershell.exe", "pwsh.exe":
		return true // not a POSIX shell: pipefail does not apply
	}
	return strings.Contains(strings.Join(ins.Shell, " "), "pipefail")
}

var ruleExposeSSH = &rule{
	id: "expose-ssh", key: keyHygiene, sev: Medium,
	aliases: []string{"DS-0004", "CKV_DOCKER_1"},
	summary: "EXPOSE 22: a container should not run an SSH server.",
	bad:     "FROM alpine:3.20\nEXPOSE 22 8080\nUSER 10001",
	good:    "FROM alpine:3.20\nEXPOSE 8080\nUSER 10001",
	fix:     "Drop port 22; use `kubectl exec` / `docker exec` for access.",
}

func checkExposeSSH(c *ctx) {
	for _, ins := range c.allIns() {
		ec, ok := ins.Command.(*instructions.ExposeCommand)
		if !ok {
			continue
		}
		for _, p := range ec.Ports {
			v, _ := ins.Expand(p)
			if port, _, _ := strings.Cut(v, "/"); port == "22" {
				c.reportAt(ruleExposeSSH, ins, "EXPOSE 22 advertises an SSH server")
				break
			}
		}
	}
}

var ruleStageNameDuplicate = &rule{
	id: "stage-name-duplicate", key: keyHygiene, sev: High,
	aliases: []string{"DL3024", "DS-0012", "CKV_DOCKER_11"},
	summary: "Two stages share a name: `--from` and `target` silently pick one of them.",
	bad:     "FROM golang:1.22 AS build\nFROM node:20 AS build\nFROM alpine:3.20\nUSER 10001",
	good:    "FROM golang:1.22 AS build-go\nFROM node:20 AS build-web\nFROM alpine:3.20\nUSER 10001",
	fix:     "Give every stage a unique name.",
}

func checkStageNameDuplicate(c *ctx) {
	first := map[string]int{}
	for _, s := range c.f.Stages {
		if s.Name == "" {
			continue
		}
		if l, dup := first[s.Name]; dup {
			c.report(ruleStageNameDuplicate, s.Line, s, fmt.Sprintf("stage name %q is already used at line %d", s.Name, l))
			continue
		}
		first[s.Name] = s.Line
	}
}

var ruleCopyFromSelf = &rule{
	id: "copy-from-self", key: keyHygiene, sev: High,
	aliases: []string{"DL3023", "DS-0006"},
	summary: "`COPY --from` (or `RUN --mount=from`) names its own stage.",
	bad:     "FROM alpine:3.20 AS app\nCOPY --from=app /etc/hosts /tmp/hosts\nUSER 10001",
	good:    "FROM alpine:3.20 AS base\nFROM alpine:3.20 AS app\nCOPY --from=base /etc/hosts /tmp/hosts\nUSER 10001",
	fix:     "Copy from another stage (or drop --from to copy from the context).",
}

func checkCopyFromSelf(c *ctx) {
	for _, ins := range c.allIns() {
		self := ins.FromStage != nil && ins.FromStage == ins.Stage
		for _, m := range ins.MountStages {
			self = self || m == ins.Stage
		}
		if self {
			c.reportAt(ruleCopyFromSelf, ins, fmt.Sprintf("%s --from names its own stage %q", ins.Keyword, ins.Stage.ID()))
		}
	}
}

var ruleParseError = &rule{
	id: "parse-error", key: keyHygiene, sev: High,
	aliases: []string{"DL1000"},
	summary: "The Dockerfile, or part of it, cannot be parsed (unknown instruction or flag, unterminated heredoc, malformed arguments); the rest is still checked.",
	bad:     "FROM alpine:3.20\nRUN --frobnicate echo hi\nUSER 10001",
	good:    "FROM alpine:3.20\nRUN echo hi\nUSER 10001",
	fix:     "Fix the instruction so BuildKit accepts it; the build would fail on it.",
}

func checkParseError(c *ctx) {
	for _, e := range c.f.Errors {
		what := e.Message
		if e.Instruction != "" && !strings.Contains(strings.ToUpper(what), e.Instruction) {
			what = e.Instruction + ": " + what
		}
		c.report(ruleParseError, e.Line, c.stageAt(e.Line), what)
	}
}

// stageAt is the stage a line belongs to, nil before the first FROM.
func (c *ctx) stageAt(line int) *dockerfile.Stage {
	var found *dockerfile.Stage
	for _, s := range c.f.Stages {
		if s.Line <= line {
			found = s
		}
	}
	return found
}

func init() {
	ruleWorkdirRelative.check = checkWorkdirRelative
	ruleCdInRun.check = checkCdInRun
	rulePipefail.check = checkPipefail
	ruleExposeSSH.check = checkExposeSSH
	ruleStageNameDuplicate.check = checkStageNameDuplicate
	ruleCopyFromSelf.check = checkCopyFromSelf
	ruleParseError.check = checkParseError
	register(ruleWorkdirRelative, ruleCdInRun, rulePipefail, ruleExposeSSH, ruleStageNameDuplicate, ruleCopyFromSelf, ruleParseError)
}
