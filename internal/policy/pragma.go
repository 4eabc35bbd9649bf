package policy

import (
	"regexp"
	"strings"

	"github.com/prodimage/terraform-provider-prodimage/internal/dockerfile"
)

// Inline pragmas, in comments:
//
//	# prodimage:ignore=rule-a,rule-b -- reason    the instruction below
//	# prodimage:ignore-stage=rule-a               the whole stage it is in
//	# prodimage:ignore-file=rule-a                the whole file
//	# hadolint ignore=DL3008,DL3009               the instruction below
//	# hadolint global ignore=DL3008               the whole file
//	# trivy:ignore:DS-0002                        the instruction below
//
// hadolint and trivy IDs work through the rules' aliases, so teams
// migrating keep their annotations. Unknown IDs are ignored.
type pragmaSet struct {
	file  map[*rule]bool
	stage map[*dockerfile.Stage]map[*rule]bool
	line  map[int]map[*rule]bool // instruction start line → rules
}

var (
	prodimagePragmaRe = regexp.MustCompile(`prodimage:\s*ignore(-stage|-file)?\s*=\s*(.*)$`)
	hadolintPragmaRe  = regexp.MustCompile(`hadolint\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_,\- ]+)`)
	trivyPragmaRe     = regexp.MustCompile(`trivy:ignore:([A-Za-z0-9_\-]+)`)
)

type pragma struct {
	scope string // "line", "stage", "file"
	ids   []string
}

func parsePragmas(comment string) []pragma {
	var out []pragma
	if m := prodimagePragmaRe.FindStringSubmatch(comment); m != nil {
		list := m[2]
		if i := strings.Index(list, "--"); i >= 0 {
			list = list[:i]
		}
		scope := "line"
		switch m[1] {
		case "-stage":
			scope = "stage"
		case "-file":
			scope = "file"
		}
		out = append(out, pragma{scope, splitIDs(list)})
	}
	if m := hadolintPragmaRe.FindStringSubmatch(comment); m != nil {
		scope := "line"
		if m[1] != "" {
			scope = "file"
		}
		out = append(out, pragma{scope, splitIDs(m[2])})
	}
	for _, m := range trivyPragmaRe.FindAllStringSubmatch(comment, -1) {
		out = append(out, pragma{"line", []string{m[1]}})
	}
	return out
}

func splitIDs(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
}

func commentText(line string) (string, bool) {
	t := strings.TrimSpace(line)
	if !strings.HasPrefix(t, "#") {
		return "", false
	}
	return strings.TrimSpace(t[1:]), true
}

func (c *ctx) pragmas() *pragmaSet {
	p := &pragmaSet{file: map[*rule]bool{}, stage: map[*dockerfile.Stage]map[*rule]bool{}, line: map[int]map[*rule]bool{}}
	if !c.in.AllowInlineIgnores {
		return p
	}
	lines := c.f.Lines
	add := func(m map[*rule]bool, ids []string) {
		for _, id := range ids {
			for _, r := range resolveID(id) {
				m[r] = true
			}
		}
	}
	// Instruction pragmas: the comment block directly above each instruction.
	starts := map[int]bool{}
	for _, ins := range c.f.MetaArgs {
		starts[ins.Line] = true
	}
	for _, s := range c.f.Stages {
		starts[s.Line] = true
		for _, ins := range s.Instructions {
			starts[ins.Line] = true
		}
	}
	for start := range starts {
		for l := start - 1; l >= 1 && l <= len(lines); l-- {
			text, ok := commentText(lines[l-1])
			if !ok {
				break
			}
			for _, pr := range parsePragmas(text) {
				if pr.scope == "line" {
					if p.line[start] == nil {
						p.line[start] = map[*rule]bool{}
					}
					add(p.line[start], pr.ids)
				}
			}
		}
	}
	// Stage and file pragmas: anywhere. A stage pragma in the comment block
	// right above a FROM belongs to that stage.
	for i, l := range lines {
		text, ok := commentText(l)
		if !ok {
			continue
		}
		for _, pr := range parsePragmas(text) {
			switch pr.scope {
			case "file":
				add(p.file, pr.ids)
			case "stage":
				st := c.stageOfComment(i + 1)
				if st == nil {
					continue
				}
				if p.stage[st] == nil {
					p.stage[st] = map[*rule]bool{}
				}
				add(p.stage[st], pr.ids)
			}
		}
	}
	return p
}

// stageOfComment is the stage a comment line belongs to: the stage whose FROM
// it sits directly above, else the stage it is in, else the first stage.
func (c *ctx) stageOfComment(line int) *dockerfile.Stage {
	for l := line + 1; l <= len(c.f.Lines); l++ {
		if _, ok := commentText(c.f.Lines[l-1]); ok {
			continue
		}
		for _, s := range c.f.Stages {
			if s.Line == l {
				return s
			}
		}
		break
	}
	if st := c.stageAt(line); st != nil {
		return st
	}
	if len(c.f.Stages) > 0 {
		return c.f.Stages[0]
	}
	return nil
}

func (p *pragmaSet) suppresses(h *hit) bool {
	if p.file[h.rule] {
		return true
	}
	if h.st != nil && p.stage[h.st][h.rule] {
		return true
	}
	return h.line > 0 && p.line[h.line][h.rule]
}
