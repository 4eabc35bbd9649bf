package policy

import (
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/prodimage/terraform-provider-prodimage/internal/dockerfile"
)

// baseKind says what tools the runtime base image ships.
type baseKind int

const (
	baseUnknown    baseKind = iota // assume it has what the Dockerfile uses
	baseScratch                    // nothing at all
	baseDistroless                 // no shell, no package manager, no curl/wget
	baseBusybox                    // alpine, busybox, distroless :debug: busybox wget, no curl
	baseMinimal                    // debian, ubuntu, *-slim: neither curl nor wget
	baseFull                       // buildpack-deps based images (node, python, golang, …): curl and wget
)

type baseInfo struct {
	ref     dockerfile.Reference
	name    string // the reference as resolved, for messages
	kind    baseKind
	nonRoot bool // the image's config user is not root
	static  bool // distroless/static-like: no libc
}

var fullImages = map[string]bool{"node": true, "python": true, "golang": true, "ruby": true, "php": true, "buildpack-deps": true, "rust": true, "perl": true}

func classifyBase(root *dockerfile.Stage) baseInfo {
	b := baseInfo{kind: baseUnknown}
	if root.Image == nil {
		return b
	}
	b.name = root.Image.Resolved
	if root.Image.Scratch() {
		b.kind, b.static = baseScratch, true
		return b
	}
	ref, ok := root.Image.Parsed()
	if !ok {
		return b
	}
	b.ref = ref
	short, tag, repo := ref.Short(), strings.ToLower(ref.Tag), strings.ToLower(ref.Repository)
	switch {
	case ref.Registry == "gcr.io" && strings.HasPrefix(repo, "distroless/"), strings.Contains(repo, "distroless"):
		b.kind = baseDistroless
		if strings.Contains(tag, "debug") {
			b.kind = baseBusybox
		}
		b.nonRoot = strings.Contains(tag, "nonroot")
		b.static = strings.HasPrefix(short, "static")
	case ref.Registry == "cgr.dev":
		// Chainguard images run as a non-root user and have no shell,
		// except the -dev variants.
		if strings.Contains(tag, "dev") {
			b.kind = baseBusybox
		} else {
			b.kind, b.nonRoot = baseDistroless, true
		}
		b.static = short == "static"
	case short == "alpine" || short == "busybox" || strings.Contains(tag, "alpine"):
		b.kind = baseBusybox
	case short == "debian" || short == "ubuntu" || strings.Contains(tag, "slim"):
		b.kind = baseMinimal
	case fullImages[short]:
		b.kind = baseFull
	}
	return b
}

// noShell reports a runtime base without /bin/sh.
func (b baseInfo) noShell() bool { return b.kind == baseScratch || b.kind == baseDistroless }

// userAt is the USER in effect at the end of the runtime chain.
type userAt struct {
	ins        *dockerfile.Instruction
	value      string // expanded
	unresolved bool
}

func (c *ctx) lastUser() *userAt {
	var u *userAt
	for _, ins := range c.chainIns() {
		if uc, ok := ins.Command.(*instructions.UserCommand); ok {
			v, holes := ins.Expand(uc.User)
			u = &userAt{ins: ins, value: v, unresolved: len(holes) > 0}
		}
	}
	return u
}

// userPart returns the user of "user:group".
func userPart(v string) string {
	u, _, _ := strings.Cut(v, ":")
	return u
}

func isRootUser(v string) bool {
	u := strings.ToLower(userPart(strings.TrimSpace(v)))
	if u == "root" {
		return true
	}
	n, err := strconv.Atoi(u)
	return err == nil && n == 0
}

func isNumeric(s string) bool {
	_, err := strconv.ParseUint(s, 10, 32)
	return err == nil
}

// runtimeUser returns the runtime user (user part only), "" for root or
// unknown.
func (c *ctx) runtimeUser() string {
	u := c.lastUser()
	switch {
	case u == nil && c.base.nonRoot:
		return "65532"
	case u == nil || u.unresolved || isRootUser(u.value):
		return ""
	}
	return userPart(u.value)
}

// process is what runs as the container's main process.
type process struct {
	words []string                // argv of the application process, after any init and shell wrapper
	ins   *dockerfile.Instruction // the ENTRYPOINT or CMD that names it
	init  string                  // tini, dumb-init, … when one is PID 1
	shell bool                    // a shell stays PID 1 (shell form or sh -c without exec)

	entrypoint, cmd *dockerfile.Instruction
}

var initNames = map[string]bool{"tini": true, "tini-static": true, "dumb-init": true, "catatonit": true, "s6-svscan": true, "init": true, "docker-init": true, "s6-overlay-suexec": true}

// effectiveProcess works out ENTRYPOINT and CMD as the runtime image has
// them: ENTRYPOINT discards a CMD inherited from an earlier stage, as
// BuildKit does.
func (c *ctx) effectiveProcess() *process {
	var ep, cmd *dockerfile.Instruction
	for _, s := range c.chain {
		cmdSet := false
		for _, ins := range s.Instructions {
			switch ins.Command.(type) {
			case *instructions.EntrypointCommand:
				ep = ins
				if !cmdSet {
					cmd = nil
				}
			case *instructions.CmdCommand:
				cmd, cmdSet = ins, true
			}
		}
	}
	if ep == nil && cmd == nil {
		return nil
	}
	p := &process{entrypoint: ep, cmd: cmd}
	var argv []string
	if ep != nil {
		argv = argvOf(ep)
		p.ins = ep
		if len(argv) > 0 && initNames[path.Base(argv[0])] {
			p.init = path.Base(argv[0])
			argv = stripInitArgs(argv[1:])
			if len(argv) == 0 && cmd != nil {
				argv, p.ins = argvOf(cmd), cmd
			}
		} else if cmd != nil && !shellFormOf(ep) {
			argv = append(append([]string(nil), argv...), argvOf(cmd)...)
		}
	} else {
		argv, p.ins = argvOf(cmd), cmd
	}
	// Look through a shell wrapper: "sh -c 'exec node x'" runs node.
	if len(argv) >= 3 && shellNames[path.Base(argv[0])] && strings.HasPrefix(argv[1], "-") && strings.Contains(argv[1], "c") {
		cmds := parseShell(argv[2])
		if len(cmds) > 0 && cmds[0].exec {
			argv = cmds[0].words
		} else {
			p.shell = true
			if len(cmds) > 0 {
				argv = append([]string{argv[0]}, cmds[0].words...)
			}
		}
	}
	p.words = argv
	return p
}

// argvOf is the argv an ENTRYPOINT or CMD runs; shell form becomes
// /bin/sh -c "…".
func argvOf(ins *dockerfile.Instruction) []string {
	var sd instructions.ShellDependantCmdLine
	switch c := ins.Command.(type) {
	case *instructions.EntrypointCommand:
		sd = c.ShellDependantCmdLine
	case *instructions.CmdCommand:
		sd = c.ShellDependantCmdLine
	default:
		return nil
	}
	if sd.PrependShell {
		sh := ins.Shell
		if len(sh) == 0 {
			sh = []string{"/bin/sh", "-c"}
		}
		return append(append([]string(nil), sh...), strings.Join(sd.CmdLine, " "))
	}
	return sd.CmdLine
}

func shellFormOf(ins *dockerfile.Instruction) bool {
	switch c := ins.Command.(type) {
	case *instructions.EntrypointCommand:
		return c.PrependShell
	case *instructions.CmdCommand:
		return c.PrependShell
	}
	return false
}

// stripInitArgs drops an init's own options: "tini -g -- node x" → "node x".
func stripInitArgs(args []string) []string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return args[i+1:]
		}
		if !strings.HasPrefix(a, "-") {
			return args[i:]
		}
		if a == "-r" || a == "--rewrite" || a == "-e" || a == "-p" || a == "-l" {
			i++
		}
	}
	return nil
}

var interpreterRe = regexp.MustCompile(`^(node|nodejs|npm|npx|yarn|pnpm|ts-node|deno|bun|python[0-9.]*|pypy[0-9.]*|uvicorn|gunicorn|hypercorn|daphne|celery|flask|fastapi|django-admin|ruby|bundle|rails|puma|rackup|php|perl|sh|bash|ash|dash|zsh|.*\.sh|.*\.py|.*\.js|.*\.rb)$`)

// interpreter returns the interpreter that runs argv, or "".
func interpreter(argv []string) string {
	if len(argv) == 0 {
		return ""
	}
	n := path.Base(argv[0])
	if interpreterRe.MatchString(n) {
		return n
	}
	return ""
}

var pythonProcRe = regexp.MustCompile(`^(python[0-9.]*|pypy[0-9.]*|uvicorn|gunicorn|hypercorn|daphne|celery|flask|fastapi|django-admin|.*\.py)$`)
var nodeProcRe = regexp.MustCompile(`^(node|nodejs|npm|npx|yarn|pnpm|ts-node|.*\.js)$`)

// pythonRuntime reports a runtime that runs Python: a python base image,
// a python package installed in the runtime chain, or a Python process.
func (c *ctx) pythonRuntime() bool {
	if c.target == nil {
		return false
	}
	s := strings.ToLower(c.base.ref.Short())
	if strings.HasPrefix(s, "python") || strings.HasPrefix(s, "pypy") {
		return true
	}
	if c.installsOSPackage("python3", "python", "python3-minimal", "python3.11", "python3.12") {
		return true
	}
	if p := c.effectiveProcess(); p != nil && len(p.words) > 0 && pythonProcRe.MatchString(path.Base(p.words[0])) {
		return true
	}
	return false
}

// nodeRuntime reports a runtime that runs Node.js.
func (c *ctx) nodeRuntime() bool {
	if c.target == nil {
		return false
	}
	s := strings.ToLower(c.base.ref.Short())
	if s == "node" || strings.HasPrefix(s, "nodejs") {
		return true
	}
	if c.installsOSPackage("nodejs", "nodejs-current") {
		return true
	}
	if p := c.effectiveProcess(); p != nil && len(p.words) > 0 && nodeProcRe.MatchString(path.Base(p.words[0])) {
		return true
	}
	return false
}

var heredocMarkerRe = regexp.MustCompile(`<<-?\s*["']?[A-Za-z_][A-Za-z0-9_]*["']?`)
