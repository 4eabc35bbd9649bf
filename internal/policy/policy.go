package policy

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/prodimage/terraform-provider-prodimage/internal/dockerfile"
)

// Input is everything a policy evaluation reads: a Dockerfile, a built image
// (Image), or both. With an empty Dockerfile and an Image, only the image
// rules and vuln-report run, and the checklist keys no image rule covers are
// not_evaluated.
type Input struct {
	DockerfileName   string // shown in findings' File; "Dockerfile" when empty
	Dockerfile       []byte
	Dockerignore     []byte // nil means the context has none
	DockerignoreName string // ".dockerignore" when empty
	// ContextFiles are the top-level names in the build context, used to
	// know a Node or Python project is there; nil means unknown (the
	// Dockerfile's COPY instructions are used instead).
	ContextFiles []string
	Target       string            // the stage to evaluate; the last one when empty
	BuildArgs    map[string]string // used when resolving ARGs in FROM, USER, …
	Labels       map[string]string // labels the build adds; they count as present

	FailOn            Severity            // findings at or above fail the report; Medium when zero
	Ignore            []string            // rule IDs or aliases to ignore
	SeverityOverrides map[string]Severity // by rule ID or alias
	RequiredLabels    []string            // ["org.opencontainers.image.source"] when nil
	// TrustedRegistries restricts where images may come from: each entry is
	// a registry or repository prefix ("docker.io/library", "ghcr.io/acme")
	// where "*" matches any characters. Empty means no restriction.
	TrustedRegistries  []string
	AllowInlineIgnores bool

	// VulnReport is a scanner report (Trivy JSON, Grype JSON or SARIF 2.1.0,
	// told apart by content) for the built image; nil leaves
	// vulnerability_scan not_evaluated. A report in none of these formats
	// (empty included) is a vuln-report finding naming the file and the
	// formats accepted: the gate fails closed.
	VulnReport     []byte
	VulnReportName string // shown in findings' File
	// MaxVulnerabilities is how many vulnerabilities of each severity the
	// report may hold; a severity not listed is unlimited. {Critical: 0}
	// when nil.
	MaxVulnerabilities map[Severity]int
	// IgnoreVulnerabilities are vulnerabilities that do not count toward
	// MaxVulnerabilities until they expire. IDs match a report's IDs, and the
	// aliases it lists (Grype's related CVEs, Trivy's vendor IDs),
	// case-insensitively; an ID may be listed once.
	IgnoreVulnerabilities []VulnIgnore
	// Now is the clock ignore expiry is judged by; time.Now when nil.
	Now func() time.Time

	// Image is what was actually built, for the image rules of RULES.md;
	// nil evaluates the Dockerfile only.
	Image *ImageFacts
	// MaxImageSizeMB is the largest compressed size (config and layers, in
	// MB of 1,000,000 bytes) each platform's image may have; 0 means no
	// limit and image-size does not run.
	MaxImageSizeMB int
}

// VulnIgnore is one accepted vulnerability.
type VulnIgnore struct {
	ID string // "CVE-2024-45491", "GHSA-3xgq-45jj-v275"
	// Expires is the instant the ignore stops applying and the
	// vulnerability counts again; the zero time never expires.
	Expires time.Time
}

// ImageFacts is a built image as the image rules see it: one entry per
// platform of an index (one entry for a single-platform image).
type ImageFacts struct {
	Ref       string // the reference as the user gave it; findings' File
	Platforms []PlatformImage
}

// PlatformImage is one platform's image: its config, history and what its
// layers hold. Every image rule reads it; none reads a registry.
type PlatformImage struct {
	Platform       string            // "linux/amd64"; findings name it
	Digest         string            // the image manifest digest; named when Platform is empty
	User           string            // config.User
	Env            []string          // config.Env, KEY=VALUE; values never appear in a message
	Labels         map[string]string // config.Labels
	Entrypoint     []string
	Cmd            []string
	Healthcheck    []string // config.Healthcheck.Test; nil when the config has none, ["NONE"] when disabled
	History        []string // created_by of each history entry, in order
	CompressedSize int64    // config and layers, compressed: what a node pulls
	// SecretFiles are the secret-like files found in any layer, including
	// those a later layer deletes.
	SecretFiles []ImageSecretFile
	SetuidFiles []string // setuid/setgid files in the final filesystem
	Passwd      []byte   // the final /etc/passwd; nil when absent
	HasShell    bool     // /bin/sh or another shell in the final filesystem
}

// ImageSecretFile is one secret-like file in one layer.
type ImageSecretFile struct {
	Path string // "/app/.env"; for Kind "git", the .git directory
	// Layer is the 0-based index of the layer in the manifest; messages
	// count layers from 1.
	Layer int
	// Kind is dotenv, private-key, npmrc, pypirc, netrc, aws-credentials,
	// docker-config, git-credentials or git.
	Kind      string
	Deleted   bool   // a later layer deletes or hides it: it is still pulled
	CreatedBy string // the history created_by of the layer (secret values are masked in messages)
}

// Finding is one rule violation.
type Finding struct {
	Rule      string `json:"rule"`
	Severity  string `json:"severity"`
	Checklist string `json:"checklist"`
	Message   string `json:"message"`
	File      string `json:"file"`
	Line      int    `json:"line"`
	Stage     string `json:"stage"`
	Fix       string `json:"fix"`
	Ignored   bool   `json:"ignored"`
}

// Report is the result of an evaluation.
type Report struct {
	Passed    bool              `json:"passed"`
	FailOn    string            `json:"fail_on"`
	Findings  []Finding         `json:"findings"`  // ordered by file and line
	Checklist map[string]string `json:"checklist"` // every key → pass, warn, fail or not_evaluated
	Counts    map[string]int    `json:"counts"`    // severity → active findings
}

// Checklist statuses.
const (
	StatusPass         = "pass"
	StatusWarn         = "warn"
	StatusFail         = "fail"
	StatusNotEvaluated = "not_evaluated"
)

// ErrInvalidConfig is wrapped by every configuration error Evaluate returns.
var ErrInvalidConfig = errors.New("invalid policy configuration")

// Evaluate runs every rule on in. It returns an error only for an invalid
// configuration (an unknown rule ID in Ignore or SeverityOverrides, an
// unknown target stage, a negative size limit, an empty or repeated
// vulnerability ignore); problems in the Dockerfile, the image or the
// vulnerability report are findings.
func Evaluate(in Input) (*Report, error) {
	cfg, err := configure(&in)
	if err != nil {
		return nil, err
	}
	imageOnly := len(in.Dockerfile) == 0 && in.Image != nil
	f := &dockerfile.File{}
	if !imageOnly {
		f = dockerfile.Parse(in.Dockerfile, dockerfile.Options{BuildArgs: in.BuildArgs})
	}
	var target *dockerfile.Stage
	if len(f.Stages) > 0 {
		if target, err = f.Target(in.Target); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalidConfig, err)
		}
	}
	c := newCtx(&in, f, target, imageOnly)
	for _, r := range catalog {
		if r.check != nil && !(imageOnly && r.scope == ScopeDockerfile) {
			r.check(c)
		}
	}
	return c.finish(cfg), nil
}

type config struct {
	failOn    Severity
	ignore    map[*rule]bool
	overrides map[*rule]Severity
}

func configure(in *Input) (*config, error) {
	cfg := &config{failOn: in.FailOn, ignore: map[*rule]bool{}, overrides: map[*rule]Severity{}}
	if cfg.failOn == 0 {
		cfg.failOn = Medium
	}
	if cfg.failOn < Info || cfg.failOn > Critical {
		return nil, fmt.Errorf("%w: fail_on %d is not a severity", ErrInvalidConfig, int(cfg.failOn))
	}
	if in.DockerfileName == "" {
		in.DockerfileName = "Dockerfile"
	}
	if in.DockerignoreName == "" {
		in.DockerignoreName = ".dockerignore"
	}
	if in.VulnReportName == "" {
		in.VulnReportName = "vulnerability report"
	}
	if in.RequiredLabels == nil {
		in.RequiredLabels = []string{"org.opencontainers.image.source"}
	}
	var problems []string
	unknown := func(where, id string) {
		msg := fmt.Sprintf("%s: unknown rule %q", where, id)
		if s := suggest(id); len(s) > 0 {
			msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(quoteAll(s), ", "))
		}
		problems = append(problems, msg)
	}
	for _, id := range in.Ignore {
		rs := resolveID(id)
		if rs == nil {
			unknown("ignore", id)
		}
		for _, r := range rs {
			cfg.ignore[r] = true
		}
	}
	for _, id := range slices.Sorted(maps.Keys(in.SeverityOverrides)) {
		sev := in.SeverityOverrides[id]
		rs := resolveID(id)
		if rs == nil {
			unknown("severity_overrides", id)
		}
		if sev < Info || sev > Critical {
			problems = append(problems, fmt.Sprintf("severity_overrides: %q has no valid severity", id))
		}
		for _, r := range rs {
			cfg.overrides[r] = sev
		}
	}
	for _, p := range in.TrustedRegistries {
		if strings.TrimSpace(p) == "" {
			problems = append(problems, "trusted_registries: empty entry")
		}
	}
	if in.MaxImageSizeMB < 0 {
		problems = append(problems, fmt.Sprintf("max_image_size_mb: %d is negative (0 means no limit)", in.MaxImageSizeMB))
	}
	for _, sev := range slices.Sorted(maps.Keys(in.MaxVulnerabilities)) {
		if n := in.MaxVulnerabilities[sev]; sev < Info || sev > Critical || n < 0 {
			problems = append(problems, fmt.Sprintf("max_vulnerabilities: %s = %d is not a severity and a count of zero or more", sev, n))
		}
	}
	seenIgnore := map[string]bool{}
	for _, ig := range in.IgnoreVulnerabilities {
		id := strings.ToUpper(strings.TrimSpace(ig.ID))
		switch {
		case id == "":
			problems = append(problems, "ignore_vulnerabilities: empty ID")
		case seenIgnore[id]:
			problems = append(problems, fmt.Sprintf("ignore_vulnerabilities: %q is listed more than once", ig.ID))
		}
		seenIgnore[id] = true
	}
	if in.Now == nil {
		in.Now = time.Now
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrInvalidConfig, strings.Join(problems, "; "))
	}
	return cfg, nil
}

// fileRank orders findings by what they are about: the Dockerfile, its
// .dockerignore, the image, the vulnerability report.
func (c *ctx) fileRank(file string) int {
	switch file {
	case c.in.DockerfileName:
		return 0
	case c.in.DockerignoreName:
		return 1
	case c.imageFile():
		return 2
	case c.in.VulnReportName:
		return 3
	}
	return 4
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
}

// finish applies overrides, ignores and pragmas, then builds the report.
func (c *ctx) finish(cfg *config) *Report {
	prag := c.pragmas()
	rep := &Report{
		FailOn:    cfg.failOn.String(),
		Findings:  make([]Finding, 0, len(c.found)),
		Checklist: map[string]string{},
		Counts:    map[string]int{},
	}
	for s := Info; s <= Critical; s++ {
		rep.Counts[s.String()] = 0
	}
	worst := map[string]Severity{}
	rep.Passed = true
	for _, h := range c.found {
		sev := h.sev
		if o, ok := cfg.overrides[h.rule]; ok {
			sev = o
		}
		fd := Finding{
			Rule: h.rule.id, Severity: sev.String(), Checklist: h.rule.key, Message: h.msg,
			File: h.file, Line: h.line, Stage: h.stage, Fix: h.fix,
		}
		fd.Ignored = cfg.ignore[h.rule] || (c.in.AllowInlineIgnores && prag.suppresses(h))
		rep.Findings = append(rep.Findings, fd)
		if fd.Ignored {
			continue
		}
		rep.Counts[sev.String()]++
		if sev > worst[h.rule.key] {
			worst[h.rule.key] = sev
		}
		// info never fails, whatever fail_on says.
		if sev >= cfg.failOn && sev > Info {
			rep.Passed = false
		}
	}
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		a, b := rep.Findings[i], rep.Findings[j]
		if a.File != b.File {
			if ra, rb := c.fileRank(a.File), c.fileRank(b.File); ra != rb {
				return ra < rb
			}
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if oa, ob := orderOf(a.Rule), orderOf(b.Rule); oa != ob {
			return oa < ob
		}
		if c.fileRank(a.File) >= 2 {
			// Image and report findings keep the order their check gave
			// them: by platform, most severe first.
			return false
		}
		return a.Message < b.Message
	})
	for _, k := range ChecklistKeys() {
		status := StatusPass
		if c.notEvaluated[k] {
			status = StatusNotEvaluated
		}
		switch w := worst[k]; {
		case w >= Medium:
			status = StatusFail
		case w == Low:
			status = StatusWarn
		case w == Info && status == StatusNotEvaluated:
			status = StatusPass
		}
		rep.Checklist[k] = status
	}
	return rep
}
