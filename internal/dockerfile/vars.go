package dockerfile

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// Vars is an immutable set of variables visible to an instruction: the
// stage's declared ARGs and its ENV (ENV wins, as in BuildKit). Instructions
// share a Vars until an ARG or ENV changes it.
type Vars struct {
	m map[string]string
}

var _ shell.EnvGetter = (*Vars)(nil)

// Get returns a variable's value.
func (v *Vars) Get(k string) (string, bool) {
	if v == nil {
		return "", false
	}
	s, ok := v.m[k]
	return s, ok
}

// Keys lists the variables, sorted.
func (v *Vars) Keys() []string {
	if v == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(v.m))
}

func (v *Vars) with(k, val string) *Vars {
	m := make(map[string]string, len(v.m)+1)
	if v != nil {
		maps.Copy(m, v.m)
	}
	m[k] = val
	return &Vars{m: m}
}

// expand substitutes variables in word the way BuildKit does for FROM, USER,
// WORKDIR and the like (quotes removed, ${a:-b} forms honoured). A variable
// that is not set and has no default leaves a hole: it is named in
// unresolved and kept as written in out, so a reader sees "${BASE}" rather
// than an empty string. A word the lexer rejects is returned as written and
// unresolved holds the word.
func expand(word string, vars *Vars, escape rune) (out string, unresolved []string) {
	if !strings.ContainsRune(word, '$') && !strings.ContainsAny(word, "\"'`") {
		return word, nil
	}
	var env shell.EnvGetter = vars
	if vars == nil {
		env = &Vars{}
	}
	for _, m := range varRefRe.FindAllStringSubmatch(word, -1) {
		name, mod := m[1], m[2]
		if name == "" {
			name = m[3]
		}
		if _, ok := env.Get(name); ok {
			continue
		}
		if strings.HasPrefix(mod, ":-") || strings.HasPrefix(mod, "-") || strings.HasPrefix(mod, ":+") || strings.HasPrefix(mod, "+") {
			continue
		}
		if !slices.Contains(unresolved, name) {
			unresolved = append(unresolved, name)
		}
	}
	lex := shell.NewLex(escape)
	lex.SkipUnsetEnv = len(unresolved) > 0
	res, err := lex.ProcessWordWithMatches(word, env)
	if err != nil {
		return word, []string{word}
	}
	slices.Sort(unresolved)
	return res.Result, unresolved
}

var varRefRe = regexp.MustCompile(`\$(?:\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))`)
