package policy

import (
	"strings"
	"testing"
)

const trivyReport = `{"SchemaVersion": 2, "Results": [{"Target": "app", "Vulnerabilities": [
 {"VulnerabilityID": "CVE-2024-0001", "PkgName": "openssl", "Severity": "CRITICAL"},
 {"VulnerabilityID": "CVE-2024-0002", "PkgName": "zlib", "Severity": "HIGH"}]}]}`

const grypeReport = `{"matches": [{"vulnerability": {"id": "CVE-2024-0003", "severity": "Critical"}, "artifact": {"name": "libc"}}]}`

const sarifReport = `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "trivy", "rules": [{"id": "CVE-2024-0004", "properties": {"security-severity": "9.8"}}]}},
 "results": [{"ruleId": "CVE-2024-0004", "level": "error", "message": {"text": "openssl"}}]}]}`

const cleanTrivy = `{"SchemaVersion": 2, "Results": [{"Target": "app", "Vulnerabilities": [{"VulnerabilityID": "CVE-2024-0002", "PkgName": "zlib", "Severity": "HIGH"}]}]}`

func report(s string) func(*Input) { return func(in *Input) { in.VulnReport = []byte(s) } }

var vulnTables = addTables(map[string][]tc{
	"vuln-report": {
		fires(`FROM alpine:3.20`).with(report(trivyReport)),
		fires(`FROM alpine:3.20`).with(report(grypeReport)),
		fires(`FROM alpine:3.20`).with(report(sarifReport)),
		fires(`FROM alpine:3.20`).with(report(`not json`)),
		fires(`FROM alpine:3.20`).with(func(in *Input) {
			in.VulnReport = []byte(cleanTrivy)
			in.MaxVulnerabilities = map[Severity]int{High: 0}
		}),
		passes(`FROM alpine:3.20`),
		passes(`FROM alpine:3.20`).with(report(cleanTrivy)),
		passes(`FROM alpine:3.20`).with(report(`{"SchemaVersion": 2, "Results": []}`)),
		passes(`FROM alpine:3.20`).with(func(in *Input) {
			in.VulnReport = []byte(trivyReport)
			in.MaxVulnerabilities = map[Severity]int{Critical: 1}
		}),
	},
})

func TestVulnerabilityRules(t *testing.T) { runTables(t, vulnTables) }

func TestVulnerabilityScanStatus(t *testing.T) {
	r := evalCase(t, passes(`FROM alpine:3.20`))
	if r.Checklist["vulnerability_scan"] != StatusNotEvaluated {
		t.Errorf("without a report: %q, want not_evaluated", r.Checklist["vulnerability_scan"])
	}
	r = evalCase(t, passes(`FROM alpine:3.20`).with(report(cleanTrivy)))
	if r.Checklist["vulnerability_scan"] != StatusPass {
		t.Errorf("clean report: %q, want pass", r.Checklist["vulnerability_scan"])
	}
	r = evalCase(t, passes(`FROM alpine:3.20`).with(func(in *Input) { in.VulnReport = []byte(trivyReport); in.VulnReportName = "trivy.json" }))
	var f *Finding
	for i := range r.Findings {
		if r.Findings[i].Rule == "vuln-report" {
			f = &r.Findings[i]
		}
	}
	if r.Checklist["vulnerability_scan"] != StatusFail || f == nil || f.File != "trivy.json" || !strings.Contains(f.Message, "CVE-2024-0001") {
		t.Errorf("critical CVE: status %q, finding %+v", r.Checklist["vulnerability_scan"], f)
	}
}
