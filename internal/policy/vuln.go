package policy

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// vulnerability_scan: the built image passes a scanner's report.

var ruleVulnReport = &rule{
	id: "vuln-report", key: keyVulnerabilityScan, sev: High, scope: ScopeReport,
	summary: "A supplied scanner report (Trivy JSON, Grype JSON or SARIF 2.1.0, detected by content) holds more vulnerabilities of a severity than `max_vulnerabilities` allows (default: zero critical; a severity not listed is unlimited). Each (vulnerability, package) pair counts once; `ignore_vulnerabilities` entries do not count until they expire. A report that is none of these formats is a finding too (the gate fails closed). Without a report the key is `not_evaluated`.",
	bad:     "# trivy image --format json: 2 CRITICAL (CVE-2024-0001, CVE-2024-0002)",
	good:    "# trivy image --format json: 0 CRITICAL",
	fix:     "Rebuild on a patched base image (update its pinned digest) or upgrade the vulnerable packages, then scan again; accept a vulnerability for a while with an expiring `ignore_vulnerabilities` entry.",
}

// vuln is one vulnerability in one package.
type vuln struct {
	id, pkg string
	sev     Severity
	aliases []string // other IDs of the same vulnerability (GHSA ↔ CVE, vendor advisories)
	key     string   // what makes it unique in the report, with the ID
}

const vulnFormats = "Trivy JSON (`trivy image --format json`), Grype JSON (`grype -o json`) or SARIF 2.1.0 (`--format sarif`)"

func checkVulnReport(c *ctx) {
	if c.in.VulnReport == nil {
		return
	}
	vulns, err := parseVulnReport(c.in.VulnReport)
	if err != nil {
		h := c.report(ruleVulnReport, 0, nil, fmt.Sprintf("cannot read the vulnerability report %s: %v; accepted, detected by content: %s", c.in.VulnReportName, err, vulnFormats))
		h.file = c.in.VulnReportName
		h.fix = "Give the report the scanner wrote in one of the accepted formats, e.g. `trivy image --format json --output trivy.json <image>`."
		return
	}
	limits := c.in.MaxVulnerabilities
	if limits == nil {
		limits = map[Severity]int{Critical: 0}
	}
	ignores := map[string]VulnIgnore{}
	for _, ig := range c.in.IgnoreVulnerabilities {
		ignores[strings.ToUpper(strings.TrimSpace(ig.ID))] = ig
	}
	now := c.in.Now()
	type tally struct {
		counted, ignored []vuln
		expired          map[string]time.Time // ignore ID → when it expired
		until            map[string]time.Time // ignore ID → when it expires (zero: never)
	}
	bySev := map[Severity]*tally{}
	for _, v := range vulns {
		t := bySev[v.sev]
		if t == nil {
			t = &tally{expired: map[string]time.Time{}, until: map[string]time.Time{}}
			bySev[v.sev] = t
		}
		ig, ok := ignoreFor(v, ignores)
		switch {
		case !ok:
			t.counted = append(t.counted, v)
		case ig.Expires.IsZero() || now.Before(ig.Expires):
			t.ignored = append(t.ignored, v)
			t.until[ig.ID] = ig.Expires
		default:
			t.counted = append(t.counted, v)
			t.expired[ig.ID] = ig.Expires
		}
	}
	for sev := Critical; sev >= Info; sev-- {
		allowed, limited := limits[sev]
		t := bySev[sev]
		if !limited || t == nil || len(t.counted) <= allowed {
			continue
		}
		msg := fmt.Sprintf("%d %s %s (allowed %d): %s", len(t.counted), sev, plural(len(t.counted), "vulnerability", "vulnerabilities"), allowed, vulnList(t.counted, 10))
		if len(t.expired) > 0 {
			var parts []string
			for _, id := range slices.Sorted(maps.Keys(t.expired)) {
				parts = append(parts, fmt.Sprintf("%s on %s", id, t.expired[id].UTC().Format(time.DateOnly)))
			}
			msg += fmt.Sprintf("; expired %s, counted again: %s", plural(len(parts), "ignore", "ignores"), strings.Join(parts, ", "))
		}
		if len(t.ignored) > 0 {
			var parts []string
			for _, id := range slices.Sorted(maps.Keys(t.until)) {
				if u := t.until[id]; u.IsZero() {
					parts = append(parts, id)
				} else {
					parts = append(parts, fmt.Sprintf("%s until %s", id, u.UTC().Format(time.DateOnly)))
				}
			}
			msg += fmt.Sprintf("; %d more ignored (%s)", len(t.ignored), strings.Join(parts, ", "))
		}
		h := c.report(ruleVulnReport, 0, nil, msg)
		h.file = c.in.VulnReportName
	}
}

// ignoreFor finds the ignore entry that names v by its ID or an alias.
func ignoreFor(v vuln, ignores map[string]VulnIgnore) (VulnIgnore, bool) {
	if len(ignores) == 0 {
		return VulnIgnore{}, false
	}
	for _, id := range append([]string{v.id}, v.aliases...) {
		if ig, ok := ignores[strings.ToUpper(id)]; ok {
			return ig, true
		}
	}
	return VulnIgnore{}, false
}

// vulnList names up to n vulnerabilities with their packages:
// "CVE-2024-2961 (libc6, libc-bin), CVE-2024-33599 (libc6)".
func vulnList(vs []vuln, n int) string {
	var ids []string
	pkgs := map[string][]string{}
	for _, v := range vs {
		if _, ok := pkgs[v.id]; !ok {
			ids = append(ids, v.id)
			pkgs[v.id] = nil
		}
		if v.pkg != "" && !slices.Contains(pkgs[v.id], v.pkg) {
			pkgs[v.id] = append(pkgs[v.id], v.pkg)
		}
	}
	parts := make([]string, 0, min(len(ids), n))
	for _, id := range ids[:min(len(ids), n)] {
		if p := pkgs[id]; len(p) > 0 {
			id += " (" + strings.Join(p, ", ") + ")"
		}
		parts = append(parts, id)
	}
	if len(ids) > n {
		parts = append(parts, fmt.Sprintf("and %d more", len(ids)-n))
	}
	return strings.Join(parts, ", ")
}

// parseVulnReport reads a Trivy JSON, Grype JSON or SARIF 2.1.0 report,
// told apart by content, into unique (vulnerability, package) pairs:
//
//   - Trivy: an object with "SchemaVersion" (or, without it, "Results"):
//     Results[].Vulnerabilities[]; also the array of results Trivy wrote
//     before v0.20.
//   - Grype: an object with "matches": matches[].vulnerability and
//     .artifact; relatedVulnerabilities are aliases.
//   - SARIF: an object with "runs" (and "version" 2.1.0 when given):
//     runs[].results, the severity from the CVSS "security-severity" of the
//     result or its rule, else the rule's severity tag, else the level.
//
// Anything else is an error that says what the document looks like.
func parseVulnReport(b []byte) ([]vuln, error) {
	b = bytes.TrimSpace(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))
	if len(b) == 0 {
		return nil, errors.New("it is empty")
	}
	var out []vuln
	seen := map[string]bool{}
	add := func(v vuln) {
		if v.id == "" {
			return
		}
		k := v.id + "\x00" + v.key
		if !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	if !json.Valid(b) {
		var probe any
		return nil, fmt.Errorf("it is not JSON: %w", json.Unmarshal(b, &probe))
	}
	if b[0] == '[' {
		var results []trivyResult
		if err := json.Unmarshal(b, &results); err != nil {
			return nil, fmt.Errorf("a JSON array that is not Trivy's list of results: %w", err)
		}
		addTrivy(results, add)
		return out, nil
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil || probe == nil {
		return nil, errors.New("it is JSON but not an object")
	}
	switch {
	case probe["SchemaVersion"] != nil || probe["Results"] != nil:
		var r struct{ Results []trivyResult }
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("Trivy JSON (it has SchemaVersion) with unexpected content: %w", err)
		}
		addTrivy(r.Results, add)
	case probe["matches"] != nil:
		var r struct {
			Matches []struct {
				Vulnerability          struct{ ID, Severity string }
				RelatedVulnerabilities []struct{ ID string }
				Artifact               struct{ Name, Version string }
			}
		}
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("Grype JSON (it has matches) with unexpected content: %w", err)
		}
		for _, m := range r.Matches {
			v := vuln{id: m.Vulnerability.ID, pkg: m.Artifact.Name, sev: scannerSeverity(m.Vulnerability.Severity), key: m.Artifact.Name}
			for _, rv := range m.RelatedVulnerabilities {
				if rv.ID != m.Vulnerability.ID {
					v.aliases = append(v.aliases, rv.ID)
				}
			}
			add(v)
		}
	case probe["runs"] != nil:
		var version string
		_ = json.Unmarshal(probe["version"], &version)
		if version != "" && version != "2.1.0" {
			return nil, fmt.Errorf("SARIF version %q: only 2.1.0 is read", version)
		}
		if err := addSARIF(b, add); err != nil {
			return nil, err
		}
	case probe["bomFormat"] != nil:
		return nil, errors.New("it is a CycloneDX document (an SBOM or VEX), not a vulnerability report")
	case probe["spdxVersion"] != nil:
		return nil, errors.New("it is an SPDX SBOM, not a vulnerability report")
	default:
		keys := slices.Sorted(maps.Keys(probe))
		if len(keys) > 5 {
			keys = append(keys[:5], "…")
		}
		return nil, fmt.Errorf("a JSON object with none of SchemaVersion (Trivy), matches (Grype) or runs (SARIF); its keys: %s", strings.Join(keys, ", "))
	}
	return out, nil
}

type trivyResult struct {
	Target          string
	Vulnerabilities []struct {
		VulnerabilityID, PkgName, PkgPath, InstalledVersion, Severity string
		VendorIDs                                                     []string
	}
}

func addTrivy(results []trivyResult, add func(vuln)) {
	for _, res := range results {
		for _, v := range res.Vulnerabilities {
			add(vuln{id: v.VulnerabilityID, pkg: v.PkgName, sev: scannerSeverity(v.Severity), aliases: v.VendorIDs, key: v.PkgName})
		}
	}
}

var sarifPackageRe = regexp.MustCompile(`(?m)^Package: (\S+)`)

func addSARIF(b []byte, add func(vuln)) error {
	type props struct {
		SecuritySeverity json.RawMessage `json:"security-severity"`
		Tags             []string        `json:"tags"`
	}
	var r struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID                   string `json:"id"`
						Properties           props  `json:"properties"`
						DefaultConfiguration struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID       string `json:"ruleId"`
				RuleIndex    *int   `json:"ruleIndex"`
				Kind         string `json:"kind"`
				Level        string `json:"level"`
				Properties   props  `json:"properties"`
				Message      struct{ Text string }
				Suppressions []struct{ Status string } `json:"suppressions"`
				Locations    []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return fmt.Errorf("SARIF (it has runs) with unexpected content: %w", err)
	}
	for _, run := range r.Runs {
		rules := run.Tool.Driver.Rules
		ruleProps := map[string]props{}
		ruleLevel := map[string]string{}
		for _, rl := range rules {
			ruleProps[rl.ID] = rl.Properties
			ruleLevel[rl.ID] = rl.DefaultConfiguration.Level
		}
		for _, res := range run.Results {
			// Only failures count; an accepted suppression (a status-less one
			// is accepted) removes the result, as code scanning does.
			if (res.Kind != "" && res.Kind != "fail") || suppressed(res.Suppressions) {
				continue
			}
			id := res.RuleID
			if id == "" && res.RuleIndex != nil && *res.RuleIndex >= 0 && *res.RuleIndex < len(rules) {
				id = rules[*res.RuleIndex].ID
			}
			rp := ruleProps[id]
			score := sarifScore(res.Properties.SecuritySeverity)
			if score == "" {
				score = sarifScore(rp.SecuritySeverity)
			}
			// SARIF's level defaults to the rule's, then to warning.
			level := cmp.Or(res.Level, ruleLevel[id], "warning")
			sev := sarifSeverity(score, level)
			if score == "" {
				if s, ok := severityTag(rp.Tags); ok {
					sev = s
				}
			}
			v := vuln{id: id, sev: sev, key: res.Message.Text}
			if m := sarifPackageRe.FindStringSubmatch(res.Message.Text); m != nil {
				v.pkg = m[1]
			}
			if len(res.Locations) > 0 {
				v.key += "\x00" + res.Locations[0].PhysicalLocation.ArtifactLocation.URI
			}
			add(v)
		}
	}
	return nil
}

func suppressed(ss []struct{ Status string }) bool {
	for _, s := range ss {
		if s.Status == "" || s.Status == "accepted" {
			return true
		}
	}
	return false
}

// sarifScore reads security-severity, a string ("9.8") or a number.
func sarifScore(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var f float64
	if json.Unmarshal(raw, &f) == nil {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return ""
}

// severityTag finds a severity among a SARIF rule's tags (Trivy writes
// "CRITICAL" there).
func severityTag(tags []string) (Severity, bool) {
	for _, t := range tags {
		switch strings.ToLower(t) {
		case "critical", "high", "medium", "moderate", "low", "negligible":
			return scannerSeverity(t), true
		}
	}
	return 0, false
}

func scannerSeverity(s string) Severity {
	switch strings.ToLower(s) {
	case "critical":
		return Critical
	case "high":
		return High
	case "medium", "moderate":
		return Medium
	case "low", "negligible":
		return Low
	}
	return Info
}

// sarifSeverity maps a CVSS security-severity score, or else the level.
func sarifSeverity(score, level string) Severity {
	if f, err := strconv.ParseFloat(score, 64); err == nil {
		switch {
		case f >= 9:
			return Critical
		case f >= 7:
			return High
		case f >= 4:
			return Medium
		case f > 0:
			return Low
		}
		return Info
	}
	switch level {
	case "error":
		return High
	case "warning":
		return Medium
	case "note":
		return Low
	}
	return Info
}

func init() {
	ruleVulnReport.check = checkVulnReport
	register(ruleVulnReport)
}
