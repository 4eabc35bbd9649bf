package policy

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// vulnerability_scan: the built image passes a scanner's report.

var ruleVulnReport = &rule{
	id: "vuln-report", key: keyVulnerabilityScan, sev: High, scope: ScopeReport,
	summary: "A supplied scanner report (Trivy JSON, Grype JSON or SARIF) holds more vulnerabilities of a severity than allowed (default: zero critical). Without a report the key is `not_evaluated`.",
	bad:     "# trivy image --format json: 2 CRITICAL (CVE-2024-0001, CVE-2024-0002)",
	good:    "# trivy image --format json: 0 CRITICAL",
	fix:     "Rebuild on a patched base image (update its pinned digest) or upgrade the vulnerable packages, then scan again.",
}

type vuln struct {
	id, pkg string
	sev     Severity
}

func checkVulnReport(c *ctx) {
	if c.in.VulnReport == nil {
		return
	}
	vulns, err := parseVulnReport(c.in.VulnReport)
	if err != nil {
		h := c.report(ruleVulnReport, 0, nil, "cannot read the vulnerability report: "+err.Error())
		h.file = c.in.VulnReportName
		return
	}
	limits := c.in.MaxVulnerabilities
	if limits == nil {
		limits = map[Severity]int{Critical: 0}
	}
	bySev := map[Severity][]vuln{}
	for _, v := range vulns {
		bySev[v.sev] = append(bySev[v.sev], v)
	}
	for sev := Critical; sev >= Info; sev-- {
		allowed, limited := limits[sev]
		found := bySev[sev]
		if !limited || len(found) <= allowed {
			continue
		}
		var ids []string
		for _, v := range found {
			if !slices.Contains(ids, v.id) {
				ids = append(ids, v.id)
			}
		}
		if len(ids) > 10 {
			ids = append(ids[:10], "…")
		}
		h := c.report(ruleVulnReport, 0, nil, fmt.Sprintf("%d %s vulnerabilities (allowed %d): %s", len(found), sev, allowed, strings.Join(ids, ", ")))
		h.file = c.in.VulnReportName
	}
}

// parseVulnReport reads Trivy JSON, Grype JSON or SARIF into unique
// (vulnerability, package) pairs.
func parseVulnReport(b []byte) ([]vuln, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	var out []vuln
	seen := map[string]bool{}
	add := func(id, pkg string, sev Severity) {
		k := id + "\x00" + pkg
		if !seen[k] {
			seen[k] = true
			out = append(out, vuln{id, pkg, sev})
		}
	}
	switch {
	case probe["Results"] != nil || probe["SchemaVersion"] != nil:
		var r struct {
			Results []struct {
				Vulnerabilities []struct {
					VulnerabilityID, PkgName, Severity string
				}
			}
		}
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("trivy report: %w", err)
		}
		for _, res := range r.Results {
			for _, v := range res.Vulnerabilities {
				add(v.VulnerabilityID, v.PkgName, scannerSeverity(v.Severity))
			}
		}
	case probe["matches"] != nil:
		var r struct {
			Matches []struct {
				Vulnerability struct{ ID, Severity string }
				Artifact      struct{ Name string }
			}
		}
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("grype report: %w", err)
		}
		for _, m := range r.Matches {
			add(m.Vulnerability.ID, m.Artifact.Name, scannerSeverity(m.Vulnerability.Severity))
		}
	case probe["runs"] != nil:
		var r struct {
			Runs []struct {
				Tool struct {
					Driver struct {
						Rules []struct {
							ID         string
							Properties map[string]any
						}
					}
				}
				Results []struct {
					RuleID     string
					Level      string
					Properties map[string]any
					Message    struct{ Text string }
				}
			}
		}
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("sarif report: %w", err)
		}
		for _, run := range r.Runs {
			ruleSev := map[string]string{}
			for _, rl := range run.Tool.Driver.Rules {
				if s, ok := rl.Properties["security-severity"]; ok {
					ruleSev[rl.ID] = fmt.Sprint(s)
				}
			}
			for _, res := range run.Results {
				s := ruleSev[res.RuleID]
				if v, ok := res.Properties["security-severity"]; ok {
					s = fmt.Sprint(v)
				}
				add(res.RuleID, res.Message.Text, sarifSeverity(s, res.Level))
			}
		}
	default:
		return nil, fmt.Errorf("not a Trivy, Grype or SARIF report")
	}
	return out, nil
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
