package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Active returns the findings that are not ignored.
func (r *Report) Active() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if !f.Ignored {
			out = append(out, f)
		}
	}
	return out
}

// JSON is the whole report as compact JSON.
func (r *Report) JSON() ([]byte, error) {
	return marshal(r)
}

// marshal is json.Marshal without HTML escaping: messages quote shell
// commands, where "&&" and "<digest>" should read as written.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// SARIF 2.1.0, the subset code-scanning tools read.
type sarifLog struct {
	Version string     `json:"version"`
	Schema  string     `json:"$schema"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID     string          `json:"ruleId"`
	RuleIndex  int             `json:"ruleIndex"`
	Level      string          `json:"level"`
	Message    sarifText       `json:"message"`
	Locations  []sarifLocation `json:"locations"`
	Properties map[string]any  `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

func sarifLevel(s Severity) string {
	switch {
	case s >= High:
		return "error"
	case s == Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity is the CVSS-like score GitHub code scanning ranks by.
func securitySeverity(s Severity) string {
	return map[Severity]string{Critical: "9.5", High: "8.0", Medium: "5.5", Low: "3.0", Info: "1.0"}[s]
}

// SARIF renders the report as a SARIF 2.1.0 log: one result per active
// finding, and the rules they refer to with their help text.
func (r *Report) SARIF() ([]byte, error) {
	driver := sarifDriver{
		Name:           "prodimage",
		InformationURI: "https://github.com/prodimage/terraform-provider-prodimage",
		Rules:          []sarifRule{},
	}
	index := map[string]int{}
	results := []sarifResult{}
	for _, f := range r.Findings {
		if f.Ignored {
			continue
		}
		ru := byID[f.Rule]
		if ru == nil {
			return nil, fmt.Errorf("finding for unknown rule %q", f.Rule)
		}
		i, ok := index[f.Rule]
		if !ok {
			i = len(driver.Rules)
			index[f.Rule] = i
			driver.Rules = append(driver.Rules, sarifRuleOf(ru))
		}
		sev, err := ParseSeverity(f.Severity)
		if err != nil {
			return nil, err
		}
		loc := sarifPhysical{ArtifactLocation: sarifArtifact{URI: f.File}}
		if f.Line > 0 {
			loc.Region = &sarifRegion{StartLine: f.Line}
		}
		props := map[string]any{"severity": f.Severity, "checklist": f.Checklist}
		if f.Stage != "" {
			props["stage"] = f.Stage
		}
		results = append(results, sarifResult{
			RuleID: f.Rule, RuleIndex: i, Level: sarifLevel(sev),
			Message:    sarifText{Text: f.Message + ". Fix: " + f.Fix},
			Locations:  []sarifLocation{{PhysicalLocation: loc}},
			Properties: props,
		})
	}
	return marshal(sarifLog{
		Version: "2.1.0",
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Runs:    []sarifRun{{Tool: sarifTool{Driver: driver}, Results: results}},
	})
}

var scopeTag = map[string]string{ScopeDockerfile: "dockerfile", ScopeImage: "container-image", ScopeReport: "vulnerability"}

func sarifRuleOf(ru *rule) sarifRule {
	var md strings.Builder
	fmt.Fprintf(&md, "%s\n\n**Fix:** %s\n", ru.summary, ru.fix)
	if ru.bad != "" {
		lang := "dockerfile"
		if ru.scope != ScopeDockerfile {
			lang = "text" // image config fragments and scanner output
		}
		fmt.Fprintf(&md, "\nBad:\n\n```%s\n%s\n```\n\nGood:\n\n```%s\n%s\n```\n", lang, ru.bad, lang, ru.good)
	}
	if len(ru.aliases) > 0 {
		fmt.Fprintf(&md, "\nAliases: %s\n", strings.Join(ru.aliases, ", "))
	}
	return sarifRule{
		ID:                   ru.id,
		Name:                 ruleName(ru.id),
		ShortDescription:     sarifText{Text: firstSentence(ru.summary)},
		FullDescription:      sarifText{Text: ru.summary},
		Help:                 sarifText{Text: ru.summary + " Fix: " + ru.fix, Markdown: md.String()},
		DefaultConfiguration: sarifConfig{Level: sarifLevel(ru.sev)},
		Properties: map[string]any{
			"tags":              []string{"security", scopeTag[ru.scope], ru.key},
			"security-severity": securitySeverity(ru.sev),
			"precision":         "high",
			"checklist":         ru.key,
		},
	}
}

// ruleName is the PascalCase form SARIF viewers show: "user-root" → "UserRoot".
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

func firstSentence(s string) string {
	if i := strings.Index(s, ": "); i > 0 && i < 120 {
		return s[:i] + "."
	}
	if i := strings.Index(s, ". "); i > 0 {
		return s[:i+1]
	}
	return s
}
