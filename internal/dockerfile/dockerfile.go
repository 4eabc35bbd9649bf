package dockerfile

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Options change how references are resolved.
type Options struct {
	// BuildArgs are the caller's build arguments; they override ARG defaults
	// in the global scope and in every stage that declares the ARG.
	BuildArgs map[string]string
}

// File is a parsed Dockerfile.
type File struct {
	Lines    []string   // the source, one entry per line; Lines[n-1] is line n
	Escape   rune       // the escape character (`# escape=`), '\\' by default
	Syntax   *Directive // the `# syntax=` directive, nil when absent
	MetaArgs []*Instruction
	Stages   []*Stage
	Errors   []ParseError
	// Refs is every image reference in the file, in line order: external
	// FROM images (scratch included), COPY --from=<image> and
	// RUN --mount=from=<image>, in every stage and ONBUILD body.
	Refs []*ImageRef

	global *Vars
}

// Directive is a parser directive such as `# syntax=docker/dockerfile:1`.
type Directive struct {
	Name  string
	Value string
	Line  int
}

// ParseError is a part of the file BuildKit cannot parse. Line is 1-based;
// Line 0 means the whole file.
type ParseError struct {
	Line, EndLine int
	Instruction   string // upper-case keyword, "" when not tied to one
	Message       string
}

func (e ParseError) Error() string {
	if e.Line == 0 {
		return e.Message
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Message)
}

// Stage is one FROM and the instructions up to the next FROM.
type Stage struct {
	Index         int
	Name          string // the AS alias, lower-cased; "" when none
	Line, EndLine int    // the FROM instruction
	From          *Instruction
	BaseRaw       string    // the FROM argument as written
	Base          string    // after ARG substitution
	Parent        *Stage    // set when FROM names an earlier stage
	Image         *ImageRef // set when FROM names an image (or scratch)
	Platform      string    // --platform as written
	Instructions  []*Instruction
	// OnBuild holds the instructions inside ONBUILD triggers. They run in
	// images built FROM this one, not here, so they are kept apart.
	OnBuild []*Instruction

	vars, env *Vars
	workdir   string
	shell     []string
}

// ID names the stage the way --from does: its alias, else its index.
func (s *Stage) ID() string {
	if s.Name != "" {
		return s.Name
	}
	return strconv.Itoa(s.Index)
}

// Vars is the set of ARG and ENV variables at the end of the stage.
func (s *Stage) Vars() *Vars { return s.vars }

// Instruction is one instruction with the state it runs in.
type Instruction struct {
	Keyword       string // upper-case: "RUN", "COPY", …
	Line, EndLine int
	Original      string               // the instruction as written, continuations joined
	Command       instructions.Command // BuildKit's typed command; nil when it could not be parsed
	Stage         *Stage               // nil for ARGs before the first FROM
	OnBuild       bool                 // inside an ONBUILD trigger
	Workdir       string               // the working directory it runs in, "/" by default
	Shell         []string             // the shell for shell-form commands
	Vars          *Vars                // ARG and ENV variables visible to it

	// COPY --from and RUN --mount=from resolve either to a stage or to an
	// external image.
	FromStage   *Stage
	FromImage   *ImageRef
	Mounts      []*instructions.Mount
	MountStages []*Stage
	MountImages []*ImageRef

	escape rune
}

// Expand substitutes the instruction's variables in word; see Vars.
func (i *Instruction) Expand(word string) (string, []string) {
	return expand(word, i.Vars, i.escape)
}

// RefKind says where an image reference appears.
type RefKind string

const (
	RefFrom      RefKind = "from"
	RefCopyFrom  RefKind = "copy-from"
	RefMountFrom RefKind = "mount-from"
)

// ImageRef is an external image a build pulls.
type ImageRef struct {
	Kind        RefKind
	Line        int
	Stage       *Stage
	Instruction *Instruction
	Raw         string   // as written
	Resolved    string   // after ARG substitution; holes kept as written
	Unresolved  []string // variables with no value and no default
}

// Scratch reports whether the reference is the empty image.
func (r *ImageRef) Scratch() bool { return r.Resolved == "scratch" && len(r.Unresolved) == 0 }

// Parsed splits the resolved reference; ok is false while it holds a variable.
func (r *ImageRef) Parsed() (Reference, bool) {
	if len(r.Unresolved) > 0 {
		return Reference{}, false
	}
	return ParseReference(r.Resolved)
}

var defaultShell = []string{"/bin/sh", "-c"}

// builtinArgs are BuildKit's automatic platform ARGs. A policy has no
// build platform, so it assumes linux/amd64; callers can override them.
var builtinArgs = [][2]string{
	{"BUILDPLATFORM", "linux/amd64"}, {"BUILDOS", "linux"}, {"BUILDARCH", "amd64"}, {"BUILDVARIANT", ""},
	{"TARGETPLATFORM", "linux/amd64"}, {"TARGETOS", "linux"}, {"TARGETARCH", "amd64"}, {"TARGETVARIANT", ""},
}

// maxLine keeps clear of bufio.Scanner's token limit inside BuildKit's
// parser, which would otherwise stop the parse at the first long line.
const maxLine = 60 * 1024

// Parse parses src. It never fails; see File.Errors.
func Parse(src []byte, opt Options) *File {
	f := &File{Escape: parser.DefaultEscapeToken}
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	f.Lines = strings.Split(text, "\n")
	if n := len(f.Lines); n > 0 && f.Lines[n-1] == "" {
		f.Lines = f.Lines[:n-1]
	}
	if _, cmdline, loc, ok := parser.DetectSyntax(src); ok {
		line := 1
		if len(loc) > 0 {
			line = loc[0].Start.Line
		}
		f.Syntax = &Directive{Name: "syntax", Value: cmdline, Line: line}
	}

	work := make([]string, len(f.Lines))
	copy(work, f.Lines)
	for i, l := range work {
		if len(l) > maxLine {
			f.Errors = append(f.Errors, ParseError{Line: i + 1, EndLine: i + 1, Message: "line too long"})
			work[i] = ""
		}
	}
	ast := f.parseAST(work)
	if ast == nil {
		return f
	}
	f.build(ast, opt)
	return f
}

// parseAST runs BuildKit's parser. On an error it records it, blanks the
// offending lines (keeping line numbers) and parses again, so one bad
// instruction does not hide the rest of the file.
func (f *File) parseAST(work []string) *parser.Node {
	for range 32 {
		res, err := parser.Parse(bytes.NewReader([]byte(strings.Join(work, "\n"))))
		if err == nil {
			f.Escape = res.EscapeToken
			return res.AST
		}
		start, end := errLines(err)
		msg := cleanErr(err)
		if res != nil && res.AST != nil {
			f.Errors = append(f.Errors, ParseError{Line: start, EndLine: end, Message: msg})
			f.Escape = res.EscapeToken
			return res.AST
		}
		if msg == "file with no instructions" {
			f.Errors = append(f.Errors, ParseError{Line: 0, Message: "the Dockerfile has no instructions"})
			return nil
		}
		f.Errors = append(f.Errors, ParseError{Line: start, EndLine: end, Message: msg})
		if start < 1 || start > len(work) {
			return nil
		}
		if end < start {
			end = start
		}
		for i := start; i <= end && i <= len(work); i++ {
			work[i-1] = ""
		}
	}
	f.Errors = append(f.Errors, ParseError{Message: "too many parse errors; stopped"})
	return nil
}

func errLines(err error) (int, int) {
	var le *parser.LocationError
	if errors.As(err, &le) && len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
		r := le.Locations[0]
		return r[0].Start.Line, r[len(r)-1].End.Line
	}
	return 0, 0
}

var errPrefixRe = regexp.MustCompile(`^dockerfile parse error on line \d+: `)

func cleanErr(err error) string {
	return errPrefixRe.ReplaceAllString(err.Error(), "")
}

// build turns the AST into stages.
func (f *File) build(ast *parser.Node, opt Options) {
	var global *Vars
	for _, kv := range builtinArgs {
		v := kv[1]
		if o, ok := opt.BuildArgs[kv[0]]; ok {
			v = o
		}
		global = global.with(kv[0], v)
	}
	declaredGlobal := map[string]bool{}
	for _, kv := range builtinArgs {
		declaredGlobal[kv[0]] = true
	}
	byName := map[string]*Stage{}
	var cur *Stage
	var st stageState

	for _, node := range ast.Children {
		ins := &Instruction{
			Keyword:  strings.ToUpper(node.Value),
			Line:     node.StartLine,
			EndLine:  node.EndLine,
			Original: strings.TrimSpace(node.Original),
			escape:   f.Escape,
		}
		v, errs := parseNode(node)
		for _, e := range errs {
			f.Errors = append(f.Errors, ParseError{Line: ins.Line, EndLine: ins.EndLine, Instruction: ins.Keyword, Message: e})
		}
		if v == nil && ins.Keyword == "FROM" {
			// Keep stage boundaries even when a FROM is malformed, so the
			// instructions after it are not attributed to the stage before.
			v = brokenFrom(node)
		}
		if v == nil {
			if cur != nil {
				ins.Stage = cur
				st.stamp(ins)
				cur.Instructions = append(cur.Instructions, ins)
			}
			continue
		}
		switch c := v.(type) {
		case *instructions.Stage:
			if cur != nil {
				st.finish(cur)
			}
			cur = f.newStage(c, ins, global, byName)
			st = newStageState(cur)
			byName[cur.Name] = cur
			if cur.Name == "" {
				delete(byName, "")
			}
		case *instructions.ArgCommand:
			ins.Command = c
			if cur == nil {
				ins.Vars = global
				for _, kv := range c.Args {
					declaredGlobal[kv.Key] = true
					if b, ok := opt.BuildArgs[kv.Key]; ok {
						global = global.with(kv.Key, b)
					} else if kv.Value != nil {
						val, _ := expand(*kv.Value, global, f.Escape)
						global = global.with(kv.Key, val)
					}
				}
				f.MetaArgs = append(f.MetaArgs, ins)
				continue
			}
			ins.Stage = cur
			st.stamp(ins)
			for _, kv := range c.Args {
				var val string
				var ok bool
				if val, ok = opt.BuildArgs[kv.Key]; !ok {
					if kv.Value != nil {
						val, _ = expand(*kv.Value, st.vars, f.Escape)
						ok = true
					} else if declaredGlobal[kv.Key] {
						val, ok = global.Get(kv.Key)
					}
				}
				if _, isEnv := st.env.Get(kv.Key); ok && !isEnv {
					st.vars = st.vars.with(kv.Key, val)
				}
			}
			cur.Instructions = append(cur.Instructions, ins)
		case instructions.Command:
			ins.Command = c
			if cur == nil {
				f.Errors = append(f.Errors, ParseError{Line: ins.Line, EndLine: ins.EndLine, Instruction: ins.Keyword,
					Message: ins.Keyword + " before the first FROM (only ARG may come before FROM)"})
				continue
			}
			ins.Stage = cur
			st.stamp(ins)
			st.apply(f, ins)
			cur.Instructions = append(cur.Instructions, ins)
			if ob, ok := c.(*instructions.OnbuildCommand); ok {
				f.onBuild(cur, ins, node, ob)
			}
		}
	}
	if cur != nil {
		st.finish(cur)
	}
	f.global = global
	f.link()
}

// parseNode parses one instruction. An unknown flag is reported and dropped,
// then the instruction is parsed again, so `RUN --frobnicate make` is still
// checked as `RUN make`. A panic inside BuildKit becomes an error.
func parseNode(node *parser.Node) (v any, errs []string) {
	// Comments above an instruction may hold `# check=` directives, which
	// BuildKit merges into its linter; with no linter that would panic.
	node.PrevComment = nil
	for range 16 {
		v, err := safeParse(node)
		if err == nil {
			return v, errs
		}
		msg := cleanErr(err)
		errs = append(errs, msg)
		if m := unknownFlagRe.FindStringSubmatch(msg); m != nil && removeFlag(node, m[1]) {
			continue
		}
		return nil, errs
	}
	return nil, errs
}

var unknownFlagRe = regexp.MustCompile(`unknown flag: (--[^\s]+)`)

func safeParse(node *parser.Node) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("cannot parse %s", strings.ToUpper(node.Value))
		}
	}()
	return instructions.ParseInstruction(node)
}

func removeFlag(node *parser.Node, flag string) bool {
	for i, fl := range node.Flags {
		name, _, _ := strings.Cut(fl, "=")
		if name == flag {
			node.Flags = append(node.Flags[:i:i], node.Flags[i+1:]...)
			return true
		}
	}
	return false
}

func brokenFrom(node *parser.Node) *instructions.Stage {
	var args []string
	for n := node.Next; n != nil; n = n.Next {
		args = append(args, n.Value)
	}
	st := &instructions.Stage{BaseName: "scratch"}
	if len(args) > 0 {
		st.BaseName = args[0]
	}
	if len(args) >= 3 && strings.EqualFold(args[1], "as") {
		st.Name = strings.ToLower(args[2])
	}
	return st
}

func (f *File) newStage(c *instructions.Stage, from *Instruction, global *Vars, byName map[string]*Stage) *Stage {
	s := &Stage{
		Index:    len(f.Stages),
		Name:     c.Name,
		Line:     from.Line,
		EndLine:  from.EndLine,
		From:     from,
		BaseRaw:  c.BaseName,
		Platform: c.Platform,
	}
	from.Stage = s
	from.Vars = global
	from.Workdir = "/"
	from.Shell = defaultShell
	base, unresolved := expand(c.BaseName, global, f.Escape)
	s.Base = base
	if p, ok := byName[base]; ok && len(unresolved) == 0 {
		s.Parent = p
	} else {
		s.Image = &ImageRef{Kind: RefFrom, Line: from.Line, Stage: s, Instruction: from,
			Raw: c.BaseName, Resolved: base, Unresolved: unresolved}
		f.Refs = append(f.Refs, s.Image)
	}
	f.Stages = append(f.Stages, s)
	return s
}

// stageState is what changes while walking a stage.
type stageState struct {
	vars, env *Vars
	workdir   string
	shell     []string
}

func newStageState(s *Stage) stageState {
	st := stageState{workdir: "/", shell: defaultShell}
	if p := s.Parent; p != nil {
		// ENV, WORKDIR and SHELL are image config and carry into a child
		// stage; ARGs do not.
		st.vars, st.env, st.workdir, st.shell = p.env, p.env, p.workdir, p.shell
	}
	return st
}

func (st *stageState) stamp(ins *Instruction) {
	ins.Vars = st.vars
	ins.Workdir = st.workdir
	ins.Shell = st.shell
}

func (st *stageState) finish(s *Stage) {
	s.vars, s.env, s.workdir, s.shell = st.vars, st.env, st.workdir, st.shell
}

func (st *stageState) apply(f *File, ins *Instruction) {
	switch c := ins.Command.(type) {
	case *instructions.EnvCommand:
		for _, kv := range c.Env {
			k, _ := expand(kv.Key, st.vars, f.Escape)
			v, _ := expand(kv.Value, st.vars, f.Escape)
			st.vars = st.vars.with(k, v)
			st.env = st.env.with(k, v)
		}
	case *instructions.WorkdirCommand:
		p, _ := expand(c.Path, st.vars, f.Escape)
		if !path.IsAbs(p) {
			p = path.Join(st.workdir, p)
		}
		st.workdir = path.Clean(p)
	case *instructions.ShellCommand:
		st.shell = c.Shell
	case *instructions.RunCommand:
		vars := st.vars
		err := c.Expand(func(w string) (string, error) {
			out, _ := expand(w, vars, f.Escape)
			return out, nil
		})
		if err != nil {
			f.Errors = append(f.Errors, ParseError{Line: ins.Line, EndLine: ins.EndLine, Instruction: ins.Keyword, Message: cleanErr(err)})
		} else {
			ins.Mounts = instructions.GetMounts(c)
		}
	}
}

// onBuild parses the instruction inside an ONBUILD trigger.
func (f *File) onBuild(s *Stage, outer *Instruction, node *parser.Node, _ *instructions.OnbuildCommand) {
	if node.Next == nil || len(node.Next.Children) == 0 {
		return
	}
	inner := node.Next.Children[0]
	inner.StartLine, inner.EndLine = node.StartLine, node.EndLine
	if len(inner.Heredocs) == 0 {
		inner.Heredocs = node.Heredocs
	}
	ins := &Instruction{
		Keyword: strings.ToUpper(inner.Value), Line: outer.Line, EndLine: outer.EndLine,
		Original: strings.TrimSpace(inner.Original), Stage: s, OnBuild: true,
		Workdir: outer.Workdir, Shell: outer.Shell, Vars: outer.Vars, escape: f.Escape,
	}
	v, errs := parseNode(inner)
	for _, e := range errs {
		f.Errors = append(f.Errors, ParseError{Line: ins.Line, EndLine: ins.EndLine, Instruction: "ONBUILD", Message: e})
	}
	if c, ok := v.(instructions.Command); ok {
		ins.Command = c
		if r, ok := c.(*instructions.RunCommand); ok {
			if err := r.Expand(func(w string) (string, error) { return w, nil }); err == nil {
				ins.Mounts = instructions.GetMounts(r)
			}
		}
	}
	s.OnBuild = append(s.OnBuild, ins)
}

// link resolves COPY --from and RUN --mount=from, which may name any stage
// (by alias or index) or else an image, once all stages are known.
func (f *File) link() {
	byName := map[string]*Stage{}
	for _, s := range f.Stages {
		if s.Name != "" {
			byName[s.Name] = s
		}
	}
	resolve := func(ins *Instruction, from string, kind RefKind) (*Stage, *ImageRef) {
		if strings.Contains(from, "$") {
			f.Errors = append(f.Errors, ParseError{Line: ins.Line, EndLine: ins.EndLine, Instruction: ins.Keyword,
				Message: "variable expansion is not supported in --from; name a stage instead"})
			return nil, nil
		}
		if n, err := strconv.Atoi(from); err == nil {
			if n >= 0 && n < len(f.Stages) {
				return f.Stages[n], nil
			}
			f.Errors = append(f.Errors, ParseError{Line: ins.Line, EndLine: ins.EndLine, Instruction: ins.Keyword,
				Message: fmt.Sprintf("invalid stage index %d", n)})
			return nil, nil
		}
		if s, ok := byName[strings.ToLower(from)]; ok {
			return s, nil
		}
		return nil, &ImageRef{Kind: kind, Line: ins.Line, Stage: ins.Stage, Instruction: ins, Raw: from, Resolved: from}
	}
	var refs []*ImageRef
	visit := func(ins *Instruction) {
		if c, ok := ins.Command.(*instructions.CopyCommand); ok && c.From != "" {
			ins.FromStage, ins.FromImage = resolve(ins, c.From, RefCopyFrom)
			if ins.FromImage != nil {
				refs = append(refs, ins.FromImage)
			}
		}
		for _, m := range ins.Mounts {
			if m.From == "" {
				continue
			}
			s, img := resolve(ins, m.From, RefMountFrom)
			if s != nil {
				ins.MountStages = append(ins.MountStages, s)
			}
			if img != nil {
				ins.MountImages = append(ins.MountImages, img)
				refs = append(refs, img)
			}
		}
	}
	for _, s := range f.Stages {
		for _, ins := range s.Instructions {
			visit(ins)
		}
		for _, ins := range s.OnBuild {
			visit(ins)
		}
	}
	f.Refs = mergeRefs(f.Refs, refs)
}

func mergeRefs(a, b []*ImageRef) []*ImageRef {
	out := make([]*ImageRef, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if j >= len(b) || (i < len(a) && a[i].Line <= b[j].Line) {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	return out
}

// Target returns the stage named name, or the last stage when name is "".
func (f *File) Target(name string) (*Stage, error) {
	if len(f.Stages) == 0 {
		return nil, errors.New("the Dockerfile has no stages")
	}
	if name == "" {
		return f.Stages[len(f.Stages)-1], nil
	}
	var found *Stage
	for _, s := range f.Stages {
		if s.Name != "" && strings.EqualFold(s.Name, name) {
			found = s
		}
	}
	if found == nil {
		var names []string
		for _, s := range f.Stages {
			if s.Name != "" {
				names = append(names, s.Name)
			}
		}
		return nil, fmt.Errorf("target stage %q not found; stages: %s", name, strings.Join(names, ", "))
	}
	return found, nil
}

// RuntimeChain is the target and the stages it is built FROM, transitively,
// root first: what ends up in the image.
func (f *File) RuntimeChain(target *Stage) []*Stage {
	var chain []*Stage
	seen := map[*Stage]bool{}
	for s := target; s != nil && !seen[s]; s = s.Parent {
		seen[s] = true
		chain = append(chain, s)
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain
}

// Dependencies is every stage the build of target needs (FROM, COPY --from,
// RUN --mount=from, transitively), target included, in file order.
func (f *File) Dependencies(target *Stage) []*Stage {
	need := map[*Stage]bool{}
	var walk func(s *Stage)
	walk = func(s *Stage) {
		if s == nil || need[s] {
			return
		}
		need[s] = true
		walk(s.Parent)
		for _, ins := range s.Instructions {
			walk(ins.FromStage)
			for _, m := range ins.MountStages {
				walk(m)
			}
		}
	}
	walk(target)
	var out []*Stage
	for _, s := range f.Stages {
		if need[s] {
			out = append(out, s)
		}
	}
	return out
}

// ExternalImages lists the images the build of target pulls (scratch
// excluded), in line order: what base-image pinning has to pin.
func (f *File) ExternalImages(target *Stage) []*ImageRef {
	need := map[*Stage]bool{}
	for _, s := range f.Dependencies(target) {
		need[s] = true
	}
	var out []*ImageRef
	for _, r := range f.Refs {
		if need[r.Stage] && !r.Instruction.OnBuild && !r.Scratch() {
			out = append(out, r)
		}
	}
	return out
}
