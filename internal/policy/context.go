package policy

import (
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/prodimage/terraform-provider-prodimage/internal/dockerfile"
)

// ctx is one evaluation: the parsed file, its scopes, and what rules found.
type ctx struct {
	in     *Input
	f      *dockerfile.File
	target *dockerfile.Stage
	chain  []*dockerfile.Stage // runtime chain, root first
	inRT   map[*dockerfile.Stage]bool
	runs   map[*dockerfile.Instruction]*runInfo
	base   baseInfo

	found        []*hit
	notEvaluated map[string]bool
	ignore       *ignoreState // the parsed .dockerignore, once needed
}

// hit is a finding before configuration (overrides, ignores) is applied.
type hit struct {
	rule  *rule
	sev   Severity
	msg   string
	fix   string
	file  string
	line  int
	stage string
	st    *dockerfile.Stage // nil when not tied to a stage
}

// newCtx prepares an evaluation. imageOnly means there is no Dockerfile,
// only an image: the keys no image rule covers are not evaluated.
func newCtx(in *Input, f *dockerfile.File, target *dockerfile.Stage, imageOnly bool) *ctx {
	c := &ctx{
		in: in, f: f, target: target,
		inRT:         map[*dockerfile.Stage]bool{},
		runs:         map[*dockerfile.Instruction]*runInfo{},
		notEvaluated: map[string]bool{},
	}
	if target != nil {
		c.chain = f.RuntimeChain(target)
		for _, s := range c.chain {
			c.inRT[s] = true
		}
		c.base = classifyBase(c.chain[0])
	} else {
		// Without a stage there is no runtime to judge.
		for _, k := range ChecklistKeys() {
			if k != keyHygiene && k != keyDockerignore {
				c.notEvaluated[k] = true
			}
		}
	}
	if imageOnly {
		for _, k := range ChecklistKeys() {
			c.notEvaluated[k] = true
		}
	}
	if in.Image != nil && len(in.Image.Platforms) > 0 {
		for _, r := range catalog {
			// image-size checks nothing without a limit.
			if r.scope == ScopeImage && (r != ruleImageSize || in.MaxImageSizeMB > 0) {
				delete(c.notEvaluated, r.key)
			}
		}
	}
	c.notEvaluated[keyVulnerabilityScan] = in.VulnReport == nil
	for _, s := range f.Stages {
		for _, ins := range s.Instructions {
			if r, ok := ins.Command.(*instructions.RunCommand); ok {
				c.runs[ins] = analyzeRun(ins, r)
			}
		}
		for _, ins := range s.OnBuild {
			if r, ok := ins.Command.(*instructions.RunCommand); ok {
				c.runs[ins] = analyzeRun(ins, r)
			}
		}
	}
	return c
}

// report records a finding of r at line in stage st with r's default
// severity and fix; it returns the hit so a check can adjust them.
func (c *ctx) report(r *rule, line int, st *dockerfile.Stage, msg string) *hit {
	h := &hit{rule: r, sev: r.sev, msg: msg, fix: r.fix, file: c.in.DockerfileName, line: line, st: st}
	if st != nil {
		h.stage = st.ID()
	}
	c.found = append(c.found, h)
	return h
}

// reportAt records a finding on an instruction.
func (c *ctx) reportAt(r *rule, ins *dockerfile.Instruction, msg string) *hit {
	return c.report(r, ins.Line, ins.Stage, msg)
}

// reportMissing records a finding about something absent, anchored at the
// target stage's FROM line so a pragma above it can suppress it.
func (c *ctx) reportMissing(r *rule, msg string) *hit {
	return c.report(r, c.target.Line, c.target, msg)
}

// chainIns is every instruction of the runtime chain, in build order.
func (c *ctx) chainIns() []*dockerfile.Instruction {
	var out []*dockerfile.Instruction
	for _, s := range c.chain {
		out = append(out, s.Instructions...)
	}
	return out
}

// allIns is every instruction of every stage (ONBUILD bodies excluded).
func (c *ctx) allIns() []*dockerfile.Instruction {
	var out []*dockerfile.Instruction
	for _, s := range c.f.Stages {
		out = append(out, s.Instructions...)
	}
	return out
}

// everyIns adds ONBUILD bodies and global ARGs to allIns: what secret and
// pinning rules read.
func (c *ctx) everyIns() []*dockerfile.Instruction {
	out := append([]*dockerfile.Instruction(nil), c.f.MetaArgs...)
	for _, s := range c.f.Stages {
		out = append(out, s.Instructions...)
		out = append(out, s.OnBuild...)
	}
	return out
}

func (c *ctx) chainRuns() []*runInfo {
	var out []*runInfo
	for _, ins := range c.chainIns() {
		if ri := c.runs[ins]; ri != nil {
			out = append(out, ri)
		}
	}
	return out
}

// runInfo is a RUN instruction analysed once for every rule.
type runInfo struct {
	ins       *dockerfile.Instruction
	cmd       *instructions.RunCommand
	script    string // what the shell runs: the command line and shell heredocs
	payload   string // heredoc bodies fed to other programs (python <<EOF)
	shellForm bool
	cmds      []shCmd
	ops       []pkgOp
}

func analyzeRun(ins *dockerfile.Instruction, r *instructions.RunCommand) *runInfo {
	ri := &runInfo{ins: ins, cmd: r, shellForm: r.PrependShell}
	var line string
	if r.PrependShell {
		line = strings.Join(r.CmdLine, " ")
	} else if len(r.CmdLine) >= 3 && shellNames[path.Base(r.CmdLine[0])] && strings.HasPrefix(r.CmdLine[1], "-") && strings.Contains(r.CmdLine[1], "c") {
		// RUN ["sh", "-c", "…"] runs a script like the shell form does.
		line = strings.Join(r.CmdLine[2:], " ")
		ri.shellForm = true
	} else {
		line = shellQuoteJoin(r.CmdLine)
	}
	if len(r.Files) > 0 {
		cmds := parseShell(stripHeredocMarkers(line))
		first := ""
		if len(cmds) > 0 {
			first = cmds[0].name()
		}
		var b strings.Builder
		b.WriteString(line)
		for _, fl := range r.Files {
			if first == "" || shellNames[first] {
				b.WriteString("\n")
				b.WriteString(fl.Data)
			} else {
				ri.payload += fl.Data + "\n"
			}
		}
		ri.script = b.String()
		ri.cmds = parseShell(stripHeredocMarkers(ri.script))
	} else {
		ri.script = line
		ri.cmds = parseShell(line)
	}
	ri.ops = pkgOps(ri.cmds)
	return ri
}

func shellQuoteJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, " \t\n'\"$;&|<>()") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

// stripHeredocMarkers removes "<<EOF", "<<-'EOF'" from a command line so
// the tokenizer does not read them as redirections of the next word.
func stripHeredocMarkers(s string) string {
	return heredocMarkerRe.ReplaceAllString(s, " ")
}

// mount helpers

func (ri *runInfo) mounts() []*instructions.Mount { return ri.ins.Mounts }

func (ri *runInfo) hasSecretMount() bool {
	for _, m := range ri.mounts() {
		if m.Type == instructions.MountTypeSecret || m.Type == instructions.MountTypeSSH {
			return true
		}
	}
	return false
}

// cacheMountUnder reports a cache (or tmpfs) mount at or above one of dirs,
// or below it when below is true.
func (ri *runInfo) cacheMountOn(dirs ...string) bool {
	for _, m := range ri.mounts() {
		if m.Type != instructions.MountTypeCache && m.Type != instructions.MountTypeTmpfs {
			continue
		}
		t := path.Clean(absPath(ri.ins.Workdir, m.Target))
		for _, d := range dirs {
			if t == d || strings.HasPrefix(d, t+"/") || strings.HasPrefix(t, d+"/") {
				return true
			}
		}
	}
	return false
}

func (ri *runInfo) hasCacheMount() bool {
	for _, m := range ri.mounts() {
		if m.Type == instructions.MountTypeCache {
			return true
		}
	}
	return false
}

// bindSources lists files bind-mounted from the context or a stage.
func (ri *runInfo) bindSources() []string {
	var out []string
	for _, m := range ri.mounts() {
		if m.Type == instructions.MountTypeBind {
			out = append(out, m.Source)
		}
	}
	return out
}

func absPath(wd, p string) string {
	if p == "" {
		return wd
	}
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	if wd == "" {
		wd = "/"
	}
	return path.Join(wd, p)
}

// copyInfo is the common part of COPY and ADD.
type copyInfo struct {
	ins      *dockerfile.Instruction
	add      bool
	srcs     []string
	contents []instructions.SourceContent
	dest     string // absolute, expanded
	chown    string
	chmod    string
	from     string
	checksum string
}

func copyOf(ins *dockerfile.Instruction) *copyInfo {
	switch c := ins.Command.(type) {
	case *instructions.CopyCommand:
		return &copyInfo{ins: ins, srcs: c.SourcePaths, contents: c.SourceContents, dest: destOf(ins, c.DestPath),
			chown: c.Chown, chmod: c.Chmod, from: c.From}
	case *instructions.AddCommand:
		return &copyInfo{ins: ins, add: true, srcs: c.SourcePaths, contents: c.SourceContents, dest: destOf(ins, c.DestPath),
			chown: c.Chown, chmod: c.Chmod, checksum: c.Checksum}
	}
	return nil
}

func destOf(ins *dockerfile.Instruction, d string) string {
	e, _ := ins.Expand(d)
	abs := absPath(ins.Workdir, e)
	if strings.HasSuffix(e, "/") && abs != "/" {
		abs += "/"
	}
	return abs
}

// fromContext reports whether the copy reads the build context.
func (ci *copyInfo) fromContext() bool { return ci.from == "" }

// wholeContext reports a copy of the whole build context ("COPY . .").
func (ci *copyInfo) wholeContext() bool {
	if !ci.fromContext() {
		return false
	}
	for _, s := range ci.srcs {
		switch strings.TrimSpace(s) {
		case ".", "./", "*", "./*", "/":
			return true
		}
	}
	return false
}

// copies reports whether the copy takes a context file named base.
func (ci *copyInfo) copiesFile(base string) bool {
	for _, s := range ci.srcs {
		if path.Base(s) == base || s == base {
			return true
		}
	}
	return false
}

// labelsOf expands a LABEL instruction.
func labelsOf(ins *dockerfile.Instruction) [][2]string {
	lc, ok := ins.Command.(*instructions.LabelCommand)
	if !ok {
		return nil
	}
	var out [][2]string
	for _, kv := range lc.Labels {
		k, _ := ins.Expand(kv.Key)
		v, _ := ins.Expand(kv.Value)
		out = append(out, [2]string{k, v})
	}
	return out
}

// envOf expands an ENV instruction's pairs.
func envOf(ins *dockerfile.Instruction) [][2]string {
	ec, ok := ins.Command.(*instructions.EnvCommand)
	if !ok {
		return nil
	}
	var out [][2]string
	for _, kv := range ec.Env {
		k, _ := ins.Expand(kv.Key)
		v, _ := ins.Expand(kv.Value)
		out = append(out, [2]string{k, v})
	}
	return out
}

// chainEnv returns the value of an ENV variable at the end of the runtime
// chain ("" and false when never set).
func (c *ctx) chainEnv(name string) (string, bool) {
	if c.target == nil {
		return "", false
	}
	v, ok := c.target.Vars().Get(name)
	if !ok {
		return "", false
	}
	// Stage ARGs are in Vars too but are not in the image's environment.
	for _, ins := range c.chainIns() {
		for _, kv := range envOf(ins) {
			if kv[0] == name {
				return v, true
			}
		}
	}
	return "", false
}

// installsOSPackage reports whether the runtime chain installs an OS package.
func (c *ctx) installsOSPackage(names ...string) bool {
	for _, ri := range c.chainRuns() {
		for i := range ri.ops {
			op := &ri.ops[i]
			if !op.isOSInstall() {
				continue
			}
			for _, p := range op.pkgs {
				n := osPackageName(op.mgr, p)
				for _, want := range names {
					if n == want {
						return true
					}
				}
			}
		}
	}
	return false
}
