package policy

import (
	"strconv"
	"strings"
	"testing"
)

// tc is one row of a rule table: a Dockerfile and whether the rule fires.
type tc struct {
	df   string
	fire bool
	mod  func(*Input) // optional changes to the default input
}

// fires and passes build rows; lines are joined with newlines.
func fires(lines ...string) tc  { return tc{df: strings.Join(lines, "\n") + "\n", fire: true} }
func passes(lines ...string) tc { return tc{df: strings.Join(lines, "\n") + "\n"} }

func (c tc) with(mod func(*Input)) tc { c.mod = mod; return c }

// completeIgnore is a .dockerignore that satisfies every dockerignore rule,
// so tables about other rules are not disturbed by it.
const completeIgnore = ".git\n.env*\nnode_modules\n__pycache__\n.venv\n"

// tables collects every rule table so coverage can be checked.
var tables = map[string][]tc{}

func addTables(m map[string][]tc) map[string][]tc {
	for k, v := range m {
		tables[k] = append(tables[k], v...)
	}
	return m
}

func evalCase(t *testing.T, c tc) *Report {
	t.Helper()
	in := Input{Dockerfile: []byte(c.df), Dockerignore: []byte(completeIgnore), AllowInlineIgnores: true}
	if c.mod != nil {
		c.mod(&in)
	}
	r, err := Evaluate(in)
	if err != nil {
		t.Fatalf("Evaluate(%q): %v", c.df, err)
	}
	return r
}

func hasActive(r *Report, rule string) bool {
	for _, f := range r.Findings {
		if f.Rule == rule && !f.Ignored {
			return true
		}
	}
	return false
}

func runTables(t *testing.T, m map[string][]tc) {
	for id, cases := range m {
		t.Run(id, func(t *testing.T) {
			if byID[id] == nil {
				t.Fatalf("table for unknown rule %q", id)
			}
			for _, c := range cases {
				r := evalCase(t, c)
				if got := hasActive(r, id); got != c.fire {
					var seen []string
					for _, f := range r.Active() {
						seen = append(seen, f.Rule+"@"+strconv.Itoa(f.Line))
					}
					t.Errorf("%s fired=%v, want %v on:\n%s\nactive findings: %v", id, got, c.fire, c.df, seen)
				}
			}
		})
	}
}
