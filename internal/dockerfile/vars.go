package dockerfile

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// Vars is an immutable set of variables visible to an instruction: the
// stage's declared ARGs and its ENV (ENV wins, as in BuildKit). Instructions
// share a Vars until an ARG or ENV changes it. It is a short chain of
// additions over a flattened map, so a file with thousands of ENV lines
// stays linear.
type Vars struct {
	parent   *Vars
	key, val string
	depth    int
	flat     map[string]string // set at flatten points, which have no parent
}

var _ shell.EnvGetter = (*Vars)(nil)

// Get returns a variable's value.
func (v *Vars) Get(k string) (string, bool) {
	for x := v; x != nil; x = x.parent {
		if x.flat != nil {
			s, ok := x.flat[k]
			return s, ok
		}
		if x.key == k {
			return x.val, true
		}
	}
	return "", false
}

// Keys lists the variables, sorted.
func (v *Vars) Keys() []string {
	return slices.Sorted(maps.Keys(v.all()))
}

func (v *Vars) all() map[string]string {
	var chain []*Vars
	m := map[string]string{}
	for x := v; x != nil; x = x.parent {
		if x.flat != nil {
			maps.Copy(m, x.flat)
			break
		}
		chain = append(chain, x)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		m[chain[i].key] = chain[i].val
	}
	return m
}

const flattenDepth = 16

func (v *Vars) with(k, val string) *Vars {
	n := &Vars{parent: v, key: k, val: val}
	if v != nil {
		n.depth = v.depth + 1
	}
	if n.depth >= flattenDepth {
		return &Vars{flat: n.all()}
	}
	return n
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
	// BuildKit's lexer (text/scanner) prints to stderr on such input.
	if !utf8.ValidString(word) || strings.ContainsRune(word, 0) {
		return word, []string{word}
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
