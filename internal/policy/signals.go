package policy

import (
	"fmt"
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/prodimage/terraform-provider-prodimage/internal/dockerfile"
)

// signal_handling: SIGTERM reaches the application, zombies are reaped.

var ruleExecForm = &rule{
	id: "exec-form", key: keySignalHandling, sev: High,
	aliases: []string{"DL3025", "JSONArgsRecommended"},
	summary: "CMD/ENTRYPOINT in shell form: PID 1 is /bin/sh, which does not forward SIGTERM, unless the command starts with `exec`. `medium` for exec form wrapping `sh -c` without `exec`.",
	bad:     "FROM node:20-alpine\nUSER 10001\nCMD node dist/server.js",
	good:    "FROM node:20-alpine\nUSER 10001\nCMD [\"node\", \"dist/server.js\"]",
	fix:     "Use the exec (JSON) form, `CMD [\"node\", \"dist/server.js\"]`, or start the shell command with `exec` so the app replaces the shell as PID 1.",
}

func checkExecForm(c *ctx) {
	if c.target == nil {
		return
	}
	p := c.effectiveProcess()
	if p == nil {
		return
	}
	for _, ins := range []*dockerfile.Instruction{p.entrypoint, p.cmd} {
		if ins == nil {
			continue
		}
		// With a shell-form ENTRYPOINT the CMD is never run.
		if ins == p.cmd && p.entrypoint != nil && shellFormOf(p.entrypoint) {
			continue
		}
		if shellFormOf(ins) {
			if !startsWithExec(scriptOf(ins)) {
				c.reportAt(ruleExecForm, ins, fmt.Sprintf("%s in shell form runs under /bin/sh -c: the shell is PID 1 and does not forward SIGTERM to the app", ins.Keyword))
			}
			continue
		}
		argv := argvOf(ins)
		if len(argv) > 0 && initNames[path.Base(argv[0])] {
			argv = stripInitArgs(argv[1:])
		}
		if len(argv) >= 3 && shellNames[path.Base(argv[0])] && strings.HasPrefix(argv[1], "-") && strings.Contains(argv[1], "c") && !startsWithExec(argv[2]) {
			h := c.reportAt(ruleExecForm, ins, fmt.Sprintf("%s wraps the app in %s -c without exec: the shell stays PID 1 and does not forward SIGTERM", ins.Keyword, argv[0]))
			h.sev = Medium
		}
	}
}

func scriptOf(ins *dockerfile.Instruction) string {
	switch c := ins.Command.(type) {
	case *instructions.EntrypointCommand:
		return strings.Join(c.CmdLine, " ")
	case *instructions.CmdCommand:
		return strings.Join(c.CmdLine, " ")
	}
	return ""
}

func startsWithExec(script string) bool {
	cmds := parseShell(script)
	return len(cmds) > 0 && cmds[0].exec
}

var ruleNpmStart = &rule{
	id: "npm-start", key: keySignalHandling, sev: Medium,
	summary: "npm, yarn or pnpm is the container's process: they do not forward SIGTERM to the app, so shutdown waits for SIGKILL.",
	bad:     "FROM node:20-alpine\nUSER 10001\nCMD [\"npm\", \"start\"]",
	good:    "FROM node:20-alpine\nUSER 10001\nCMD [\"node\", \"dist/server.js\"]",
	fix:     "Run the app directly: `CMD [\"node\", \"dist/server.js\"]` (what the start script runs).",
}

func checkNpmStart(c *ctx) {
	if c.target == nil {
		return
	}
	p := c.effectiveProcess()
	if p == nil || len(p.words) == 0 {
		return
	}
	switch n := path.Base(p.words[0]); n {
	case "npm", "yarn", "pnpm":
		c.reportAt(ruleNpmStart, p.ins, fmt.Sprintf("%s runs the app as the container's process and does not forward SIGTERM", n))
	}
}

var ruleInitProcess = &rule{
	id: "init-process", key: keySignalHandling, sev: Low,
	summary: "An interpreter (node, python and its servers, ruby, php, a shell script) is PID 1 without tini, dumb-init, catatonit or s6: it neither reaps zombies nor gets default signal handling.",
	bad:     "FROM python:3.12-slim\nUSER 10001\nCMD [\"uvicorn\", \"app.main:app\"]",
	good:    "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*\nUSER 10001\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"uvicorn\", \"app.main:app\"]",
	fix:     "Run an init as PID 1: install tini (`apk add tini` / `apt-get install tini`) and set `ENTRYPOINT [\"tini\", \"--\"]` (or use `docker run --init` / `shareProcessNamespace`).",
}

func checkInitProcess(c *ctx) {
	if c.target == nil {
		return
	}
	p := c.effectiveProcess()
	if p == nil || p.init != "" {
		return
	}
	if n := interpreter(p.words); n != "" {
		c.reportAt(ruleInitProcess, p.ins, fmt.Sprintf("%s runs as PID 1 with no init (tini, dumb-init): zombies are not reaped and signals have no default handler", n))
	}
}

var ruleMultipleEntrypoint = &rule{
	id: "multiple-entrypoint", key: keySignalHandling, sev: Low,
	aliases: []string{"DL4003", "DL4004", "DS-0007", "DS-0016"},
	summary: "More than one CMD or ENTRYPOINT in a stage: only the last one counts.",
	bad:     "FROM alpine:3.20\nUSER 10001\nCMD [\"/app\", \"--version\"]\nCMD [\"/app\"]",
	good:    "FROM alpine:3.20\nUSER 10001\nCMD [\"/app\"]",
	fix:     "Keep one CMD and at most one ENTRYPOINT per stage.",
}

func checkMultipleEntrypoint(c *ctx) {
	for _, s := range c.f.Stages {
		firstCmd, firstEP := 0, 0
		for _, ins := range s.Instructions {
			switch ins.Command.(type) {
			case *instructions.CmdCommand:
				if firstCmd != 0 {
					c.reportAt(ruleMultipleEntrypoint, ins, fmt.Sprintf("another CMD in stage %q (the first is at line %d); only the last one counts", s.ID(), firstCmd))
				} else {
					firstCmd = ins.Line
				}
			case *instructions.EntrypointCommand:
				if firstEP != 0 {
					c.reportAt(ruleMultipleEntrypoint, ins, fmt.Sprintf("another ENTRYPOINT in stage %q (the first is at line %d); only the last one counts", s.ID(), firstEP))
				} else {
					firstEP = ins.Line
				}
			}
		}
	}
}

func init() {
	ruleExecForm.check = checkExecForm
	ruleNpmStart.check = checkNpmStart
	ruleInitProcess.check = checkInitProcess
	ruleMultipleEntrypoint.check = checkMultipleEntrypoint
	register(ruleExecForm, ruleNpmStart, ruleInitProcess, ruleMultipleEntrypoint)
}
