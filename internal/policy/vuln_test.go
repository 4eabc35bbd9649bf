package policy

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
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

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "vuln", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The three fixtures are realistic scanner output: each (vulnerability,
// package) pair counts once, whatever the format.
func TestVulnReportCounts(t *testing.T) {
	for _, c := range []struct {
		file string
		want map[Severity]int
	}{
		// Two Results (debian, Node.js); CVE-2024-2961 in two packages counts
		// twice, cross-spawn at two paths once.
		{"trivy.json", map[Severity]int{Critical: 2, High: 5, Medium: 2, Low: 1}},
		// Negligible is low.
		{"grype.json", map[Severity]int{Critical: 2, High: 2, Medium: 1, Low: 1}},
		// Severity from the rules' CVSS security-severity.
		{"trivy.sarif", map[Severity]int{Critical: 2, High: 2, Medium: 1, Low: 1}},
	} {
		vs, err := parseVulnReport(fixture(t, c.file))
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		got := map[Severity]int{}
		for _, v := range vs {
			got[v.sev]++
		}
		if !maps.Equal(got, c.want) {
			t.Errorf("%s: counts %v, want %v", c.file, got, c.want)
		}
	}
}

func TestVulnReportGate(t *testing.T) {
	now := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	past, future := now.AddDate(0, 0, -9), now.AddDate(0, 1, 0)
	for _, c := range []struct {
		name    string
		file    string
		max     map[Severity]int
		ignore  []VulnIgnore
		fail    []string // severities over their limit
		message string   // the first finding's message starts with it
	}{
		{name: "default: zero critical", file: "trivy.json", fail: []string{"critical"}, message: "2 critical vulnerabilities (allowed 0): CVE-2023-45853 (zlib1g), CVE-2024-45491 (libexpat1)"},
		{name: "critical 0, high 10", file: "trivy.json", max: map[Severity]int{Critical: 0, High: 10}, fail: []string{"critical"}},
		{name: "critical 2, high 10", file: "trivy.json", max: map[Severity]int{Critical: 2, High: 10}},
		{name: "high 4 of 5", file: "trivy.json", max: map[Severity]int{Critical: 2, High: 4}, fail: []string{"high"}, message: "5 high vulnerabilities (allowed 4): CVE-2024-2961 (libc-bin, libc6)"},
		{name: "every severity limited", file: "trivy.json", max: map[Severity]int{Critical: 0, High: 0, Medium: 0, Low: 0}, fail: []string{"critical", "high", "medium", "low"}},
		{name: "grype", file: "grype.json", max: map[Severity]int{Critical: 0, High: 10}, fail: []string{"critical"}},
		{name: "grype within limits", file: "grype.json", max: map[Severity]int{Critical: 2, High: 2, Medium: 1}},
		{name: "sarif", file: "trivy.sarif", max: map[Severity]int{Critical: 0, High: 1}, fail: []string{"critical", "high"}},
		{name: "sarif within limits", file: "trivy.sarif", max: map[Severity]int{Critical: 2, High: 2}},
		{
			name: "unexpired ignores do not count", file: "trivy.json",
			ignore: []VulnIgnore{{ID: "CVE-2023-45853", Expires: future}, {ID: "cve-2024-45491"}},
		},
		{
			name: "an expired ignore counts again", file: "trivy.json",
			ignore:  []VulnIgnore{{ID: "CVE-2023-45853", Expires: past}, {ID: "CVE-2024-45491", Expires: future}},
			fail:    []string{"critical"},
			message: "1 critical vulnerability (allowed 0): CVE-2023-45853 (zlib1g); expired ignore, counted again: CVE-2023-45853 on 2025-03-01; 1 more ignored (CVE-2024-45491 until 2025-04-10)",
		},
		{
			name: "an ignore expiring now counts", file: "trivy.json",
			ignore: []VulnIgnore{{ID: "CVE-2023-45853", Expires: now}, {ID: "CVE-2024-45491"}},
			fail:   []string{"critical"},
		},
		{
			name: "grype: ignore by the related CVE", file: "grype.json", max: map[Severity]int{Critical: 2, High: 1},
			ignore: []VulnIgnore{{ID: "CVE-2024-21538"}},
		},
		{
			name: "trivy: ignore by the vendor ID covers every package", file: "trivy.json", max: map[Severity]int{Critical: 2, High: 4},
			ignore: []VulnIgnore{{ID: "GHSA-3xgq-45jj-v275"}},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := Evaluate(Input{
				Dockerfile: []byte("FROM alpine:3.20\n"), VulnReport: fixture(t, c.file), VulnReportName: c.file,
				MaxVulnerabilities: c.max, IgnoreVulnerabilities: c.ignore, Now: func() time.Time { return now },
			})
			if err != nil {
				t.Fatal(err)
			}
			fs := findingsOf(r, "vuln-report")
			var got []string
			for _, f := range fs {
				got = append(got, strings.Fields(f.Message)[1])
				if f.File != c.file || f.Line != 0 {
					t.Errorf("finding at %s:%d, want %s:0", f.File, f.Line, c.file)
				}
			}
			if !slices.Equal(got, c.fail) {
				t.Errorf("severities over the limit: %v, want %v; findings %+v", got, c.fail, fs)
			}
			if c.message != "" && (len(fs) == 0 || !strings.HasPrefix(fs[0].Message, c.message)) {
				t.Errorf("message:\n got %q\nwant %q", fs[0].Message, c.message)
			}
			want := StatusPass
			if len(c.fail) > 0 {
				want = StatusFail
			}
			if s := r.Checklist["vulnerability_scan"]; s != want {
				t.Errorf("vulnerability_scan = %s, want %s", s, want)
			}
		})
	}
}

// A report that is not one of the three formats is a finding that names
// the file and the formats accepted: the gate fails closed.
func TestVulnReportNotAReport(t *testing.T) {
	for _, c := range []struct{ name, report, says string }{
		{"empty", "", "it is empty"},
		{"text", "CVE-2024-0001 CRITICAL openssl", "not JSON"},
		{"cyclonedx", `{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": []}`, "CycloneDX"},
		{"spdx", `{"spdxVersion": "SPDX-2.3", "packages": []}`, "SPDX"},
		{"sarif 2.0", `{"version": "2.0.0", "runs": []}`, `SARIF version "2.0.0"`},
		{"other object", `{"vulnerabilities": [{"id": "CVE-2024-0001"}]}`, "its keys: vulnerabilities"},
		{"array", `[1, 2]`, "not Trivy's list of results"},
		{"null", `null`, "not an object"},
		{"trivy with wrong types", `{"SchemaVersion": 2, "Results": {"a": 1}}`, "Trivy JSON"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := evalCase(t, passes(`FROM alpine:3.20`).with(func(in *Input) {
				in.VulnReport = []byte(c.report)
				in.VulnReportName = "scan/report.json"
			}))
			fs := findingsOf(r, "vuln-report")
			if len(fs) != 1 || r.Checklist["vulnerability_scan"] != StatusFail {
				t.Fatalf("findings %+v, status %s", fs, r.Checklist["vulnerability_scan"])
			}
			for _, want := range []string{"scan/report.json", c.says, "Trivy JSON", "Grype JSON", "SARIF 2.1.0"} {
				if !strings.Contains(fs[0].Message, want) {
					t.Errorf("message %q lacks %q", fs[0].Message, want)
				}
			}
		})
	}
}

func TestVulnReportFormats(t *testing.T) {
	for _, c := range []struct {
		name, report string
		want         []string // id/severity
	}{
		{"trivy before v0.20: an array of results", `[{"Target": "alpine:3.12 (alpine 3.12.0)", "Vulnerabilities": [{"VulnerabilityID": "CVE-2020-28928", "PkgName": "musl", "Severity": "MEDIUM"}]}]`, []string{"CVE-2020-28928/medium"}},
		{"trivy without vulnerabilities", `{"SchemaVersion": 2, "ArtifactName": "x", "Results": [{"Target": "x (alpine 3.20.3)", "Class": "os-pkgs"}]}`, nil},
		{"trivy: UNKNOWN is info", `{"SchemaVersion": 2, "Results": [{"Vulnerabilities": [{"VulnerabilityID": "CVE-2024-1", "PkgName": "a", "Severity": "UNKNOWN"}]}]}`, []string{"CVE-2024-1/info"}},
		{"grype without matches", `{"matches": [], "descriptor": {"name": "grype"}}`, nil},
		{"utf-8 BOM", "\xef\xbb\xbf" + `{"matches": [{"vulnerability": {"id": "CVE-2024-2", "severity": "High"}, "artifact": {"name": "b"}}]}`, []string{"CVE-2024-2/high"}},
		{
			"sarif: result score over rule score, ruleIndex, level default, tag, suppressions, kinds",
			`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "scanner", "rules": [
				{"id": "CVE-A", "properties": {"security-severity": 5.0}},
				{"id": "CVE-B", "defaultConfiguration": {"level": "error"}},
				{"id": "CVE-C", "properties": {"tags": ["security", "CRITICAL"]}},
				{"id": "CVE-D"}]}},
			  "results": [
				{"ruleId": "CVE-A", "properties": {"security-severity": "9.1"}, "message": {"text": "a"}},
				{"ruleIndex": 1, "message": {"text": "b"}},
				{"ruleId": "CVE-C", "level": "note", "message": {"text": "c"}},
				{"ruleId": "CVE-D", "message": {"text": "d"}},
				{"ruleId": "CVE-D", "message": {"text": "d2"}, "suppressions": [{"kind": "external"}]},
				{"ruleId": "CVE-D", "message": {"text": "d3"}, "suppressions": [{"kind": "external", "status": "rejected"}]},
				{"ruleId": "CVE-D", "kind": "pass", "message": {"text": "d4"}}]}]}`,
			[]string{"CVE-A/critical", "CVE-B/high", "CVE-C/critical", "CVE-D/medium", "CVE-D/medium"},
		},
	} {
		vs, err := parseVulnReport([]byte(c.report))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var got []string
		for _, v := range vs {
			got = append(got, v.id+"/"+v.sev.String())
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestVulnIgnoreConfiguration(t *testing.T) {
	for _, ig := range [][]VulnIgnore{{{ID: " "}}, {{ID: "CVE-2024-1"}, {ID: "cve-2024-1"}}} {
		_, err := Evaluate(Input{Dockerfile: []byte("FROM alpine:3.20\n"), IgnoreVulnerabilities: ig})
		if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), "ignore_vulnerabilities") {
			t.Errorf("%+v: %v", ig, err)
		}
	}
	_, err := Evaluate(Input{Dockerfile: []byte("FROM alpine:3.20\n"), MaxVulnerabilities: map[Severity]int{High: -1}})
	if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), "max_vulnerabilities") {
		t.Errorf("negative limit: %v", err)
	}
}

// Without a report the key is not evaluated, whatever else is given.
func TestVulnerabilityScanNotEvaluated(t *testing.T) {
	for _, in := range []Input{
		{Dockerfile: []byte("FROM alpine:3.20\n")},
		{Dockerfile: []byte("FROM alpine:3.20\n"), MaxVulnerabilities: map[Severity]int{Critical: 0}, IgnoreVulnerabilities: []VulnIgnore{{ID: "CVE-2024-1"}}},
		{Image: &ImageFacts{Ref: "x", Platforms: []PlatformImage{{Platform: "linux/amd64"}}}},
	} {
		r, err := Evaluate(in)
		if err != nil {
			t.Fatal(err)
		}
		if s := r.Checklist["vulnerability_scan"]; s != StatusNotEvaluated || len(findingsOf(r, "vuln-report")) > 0 {
			t.Errorf("%+v: vulnerability_scan = %s", in, s)
		}
	}
}
