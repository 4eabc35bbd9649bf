package policy

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Checklist keys, in the order of RULES.md.
const (
	keyNonRootUser        = "non_root_user"
	keyPinnedBaseImages   = "pinned_base_images"
	keyMultiStage         = "multi_stage"
	keyHealthcheck        = "healthcheck"
	keySignalHandling     = "signal_handling"
	keyReadOnlyFS         = "read_only_fs"
	keyNoSecrets          = "no_secrets"
	keyLayerCaching       = "layer_caching"
	keyMinimalRuntime     = "minimal_runtime"
	keyOCILabels          = "oci_labels"
	keyCopyChown          = "copy_chown"
	keyDockerignore       = "dockerignore"
	keyProductionDeps     = "production_deps"
	keyVulnerabilityScan  = "vulnerability_scan"
	keySupplyChain        = "supply_chain"
	keyRuntimeCorrectness = "runtime_correctness"
	keyHygiene            = "hygiene"
)

// ChecklistKeys lists every checklist key, in catalog order.
func ChecklistKeys() []string {
	return []string{
		keyNonRootUser, keyPinnedBaseImages, keyMultiStage, keyHealthcheck, keySignalHandling,
		keyReadOnlyFS, keyNoSecrets, keyLayerCaching, keyMinimalRuntime, keyOCILabels, keyCopyChown,
		keyDockerignore, keyProductionDeps, keyVulnerabilityScan, keySupplyChain, keyRuntimeCorrectness, keyHygiene,
	}
}

// Rule scopes: what a rule is evaluated on.
const (
	ScopeDockerfile = "dockerfile" // the Dockerfile and .dockerignore
	ScopeReport     = "report"     // a vulnerability scanner report
	ScopeImage      = "image"      // a built image (manifest, config, layers)
)

// RuleInfo describes a rule for documentation and validation.
type RuleInfo struct {
	ID        string
	Checklist string
	Severity  Severity
	Aliases   []string
	Summary   string
	Bad, Good string
	// Scope is ScopeDockerfile, ScopeReport or ScopeImage.
	Scope string
}

// rule is a catalog entry and, for Dockerfile rules, its check.
type rule struct {
	id      string
	key     string
	sev     Severity
	aliases []string
	scope   string
	summary string
	bad     string // a Dockerfile snippet that fires the rule
	good    string // the same snippet fixed
	fix     string // what to do, shown with every finding unless the check says more
	check   func(c *ctx)
}

var (
	catalog   []*rule
	byID      = map[string]*rule{}
	byAlias   = map[string][]*rule{} // upper-cased alias → rules
	ruleOrder = map[string]int{}
)

// register adds rules to the catalog. Each rule file calls it from init.
func register(rs ...*rule) {
	for _, r := range rs {
		if r.scope == "" {
			r.scope = ScopeDockerfile
		}
		if _, dup := byID[r.id]; dup {
			panic("policy: duplicate rule " + r.id)
		}
		byID[r.id] = r
		for _, a := range r.aliases {
			byAlias[strings.ToUpper(a)] = append(byAlias[strings.ToUpper(a)], r)
		}
		catalog = append(catalog, r)
	}
	sort.SliceStable(catalog, func(i, j int) bool { return orderOf(catalog[i].id) < orderOf(catalog[j].id) })
}

// catalogOrder is the order of RULES.md, so Rules() and the generated docs
// read like the catalog.
var catalogOrder = []string{
	"user-root", "user-numeric", "sudo",
	"from-latest", "from-digest", "from-unresolved", "trusted-registry", "package-pin", "lockfile",
	"single-stage", "build-tools-in-runtime",
	"healthcheck-missing", "healthcheck-tool", "healthcheck-multiple",
	"exec-form", "npm-start", "init-process", "multiple-entrypoint",
	"writable-paths", "world-writable", "python-bytecode",
	"secret-env", "secret-arg", "secret-file", "secret-in-run", "copy-context-leak",
	"cache-order", "apt-update-alone", "cache-mount",
	"apt-no-recommends", "apt-lists", "apk-no-cache", "pip-no-cache", "pkg-clean", "dist-upgrade",
	"oci-labels", "label-format", "maintainer",
	"chown-layer", "copy-chown",
	"dockerignore-missing", "dockerignore-incomplete",
	"dev-dependencies", "node-env",
	"vuln-report",
	"tls-verify-disabled", "curl-pipe-shell", "add-url", "add-local", "syntax-pin",
	"go-static", "scratch-ca-certs", "scratch-tzdata", "node-heap", "python-unbuffered",
	"workdir-relative", "cd-in-run", "pipefail", "expose-ssh", "stage-name-duplicate", "copy-from-self", "parse-error",
	"image-user-root", "image-setuid", "image-healthcheck", "image-shell-entrypoint", "image-labels",
	"image-secret-env", "image-secret-history", "image-secret-file", "image-size", "image-latest-base",
}

func orderOf(id string) int {
	if len(ruleOrder) == 0 {
		for i, r := range catalogOrder {
			ruleOrder[r] = i
		}
	}
	if i, ok := ruleOrder[id]; ok {
		return i
	}
	return len(catalogOrder)
}

// Rules lists every rule in the catalog, in RULES.md order.
func Rules() []RuleInfo {
	out := make([]RuleInfo, 0, len(catalog))
	for _, r := range catalog {
		out = append(out, RuleInfo{
			ID: r.id, Checklist: r.key, Severity: r.sev, Aliases: slices.Clone(r.aliases),
			Summary: r.summary, Bad: r.bad, Good: r.good, Scope: r.scope,
		})
	}
	return out
}

// resolveID maps a rule ID or alias to the rules it names (an alias such as
// DL3064 may name several). IDs are matched exactly (they are lower-case);
// aliases case-insensitively, and Trivy's AVD- prefix is accepted.
func resolveID(id string) []*rule {
	id = strings.TrimSpace(id)
	if r, ok := byID[strings.ToLower(id)]; ok {
		return []*rule{r}
	}
	up := strings.ToUpper(id)
	up = strings.TrimPrefix(up, "AVD-")
	if rs, ok := byAlias[up]; ok {
		return rs
	}
	// Trivy writes DS002 and DS-0002 for the same check.
	if d, ok := strings.CutPrefix(up, "DS"); ok {
		if n, err := strconv.Atoi(strings.TrimPrefix(d, "-")); err == nil {
			for _, form := range []string{fmt.Sprintf("DS-%04d", n), fmt.Sprintf("DS%03d", n)} {
				if rs, ok := byAlias[form]; ok {
					return rs
				}
			}
		}
	}
	return nil
}

// suggest lists the known IDs and aliases closest to an unknown one.
func suggest(id string) []string {
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	low := strings.ToLower(id)
	add := func(name string) {
		d := levenshtein(low, strings.ToLower(name))
		if d <= max(2, len(id)/3) || strings.Contains(strings.ToLower(name), low) {
			cs = append(cs, cand{name, d})
		}
	}
	for _, r := range catalog {
		add(r.id)
		for _, a := range r.aliases {
			add(a)
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	var out []string
	for _, c := range cs {
		if !slices.Contains(out, c.name) {
			out = append(out, c.name)
		}
		if len(out) == 3 {
			break
		}
	}
	return out
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
