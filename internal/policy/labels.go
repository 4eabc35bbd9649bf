package policy

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/prodimage/terraform-provider-prodimage/internal/dockerfile"
)

// oci_labels: the image says where it comes from.

var ruleOCILabels = &rule{
	id: "oci-labels", key: keyOCILabels, sev: Medium,
	aliases: []string{"DL3049"},
	summary: "The runtime chain lacks a required label (`required_labels`, default `org.opencontainers.image.source`); labels the build adds (`labels`) count as present.",
	bad:     "FROM alpine:3.20\nUSER 10001",
	good:    "FROM alpine:3.20\nLABEL org.opencontainers.image.source=\"https://github.com/acme/api\"\nUSER 10001",
	fix:     "Add the label to the final stage (`LABEL org.opencontainers.image.source=\"https://github.com/<org>/<repo>\"`) or pass it in the build's labels.",
}

// chainLabels are the labels the runtime image ends up with, and where.
type labelAt struct {
	value string
	raw   string
	ins   *dockerfile.Instruction // nil for labels the build adds
}

func (c *ctx) chainLabels() map[string]labelAt {
	out := map[string]labelAt{}
	for _, ins := range c.chainIns() {
		lc, ok := ins.Command.(*instructions.LabelCommand)
		if !ok {
			continue
		}
		for i, kv := range labelsOf(ins) {
			out[kv[0]] = labelAt{value: kv[1], raw: lc.Labels[i].Value, ins: ins}
		}
	}
	for k, v := range c.in.Labels {
		out[k] = labelAt{value: v, raw: v}
	}
	return out
}

func checkOCILabels(c *ctx) {
	if c.target == nil {
		return
	}
	have := c.chainLabels()
	for _, want := range c.in.RequiredLabels {
		if _, ok := have[want]; !ok {
			c.reportMissing(ruleOCILabels, fmt.Sprintf("the runtime image has no label %s", want))
		}
	}
}

var ruleLabelFormat = &rule{
	id: "label-format", key: keyOCILabels, sev: Low,
	aliases: []string{"DL3052", "DL3053", "DL3054", "DL3055"},
	summary: "Malformed OCI label values: source/url/documentation not a URL, created not RFC 3339, revision not a git hash, licenses not an SPDX expression. Values still holding a variable are left to the build.",
	bad:     "FROM alpine:3.20\nLABEL org.opencontainers.image.source=\"github.com/acme/api\" org.opencontainers.image.licenses=\"Apache 2\"\nUSER 10001",
	good:    "FROM alpine:3.20\nLABEL org.opencontainers.image.source=\"https://github.com/acme/api\" org.opencontainers.image.licenses=\"Apache-2.0\"\nUSER 10001",
	fix:     "Use the formats of the OCI image spec: an absolute URL, an RFC 3339 timestamp (2024-05-01T12:00:00Z), a full git commit hash, an SPDX license expression (Apache-2.0, MIT OR Apache-2.0).",
}

func checkLabelFormat(c *ctx) {
	if c.target == nil {
		return
	}
	labels := c.chainLabels()
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		l := labels[k]
		if strings.Contains(l.raw, "$") {
			continue
		}
		if problem := labelProblem(k, l.value); problem != "" {
			msg := fmt.Sprintf("label %s=%q %s", k, l.value, problem)
			if l.ins != nil {
				c.reportAt(ruleLabelFormat, l.ins, msg)
			} else {
				c.reportMissing(ruleLabelFormat, msg+" (from the build's labels)")
			}
		}
	}
}

var gitHashRe = regexp.MustCompile(`^([0-9a-f]{40}|[0-9a-f]{64})$`)

func labelProblem(key, v string) string {
	switch key {
	case "org.opencontainers.image.source", "org.opencontainers.image.url", "org.opencontainers.image.documentation":
		u, err := url.Parse(v)
		if err != nil || u.Host == "" || !slices.Contains([]string{"http", "https", "git", "ssh", "git+ssh"}, u.Scheme) {
			return "is not an absolute URL"
		}
	case "org.opencontainers.image.created":
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			return "is not an RFC 3339 timestamp"
		}
	case "org.opencontainers.image.revision":
		if !gitHashRe.MatchString(v) {
			return "is not a full git commit hash"
		}
	case "org.opencontainers.image.licenses":
		if !validSPDX(v) {
			return "is not an SPDX license expression"
		}
	}
	return ""
}

// spdxIDs are the SPDX license identifiers images commonly carry. An
// expression may also use LicenseRef-… for anything else.
var spdxIDs = set(
	"0BSD", "AFL-3.0", "AGPL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later", "Apache-1.1", "Apache-2.0", "APSL-2.0",
	"Artistic-2.0", "BlueOak-1.0.0", "BSD-1-Clause", "BSD-2-Clause", "BSD-2-Clause-Patent", "BSD-3-Clause",
	"BSD-3-Clause-Clear", "BSD-4-Clause", "BSL-1.0", "BUSL-1.1", "CC-BY-3.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0",
	"CDDL-1.0", "CDDL-1.1", "CECILL-2.1", "CPL-1.0", "ECL-2.0", "EFL-2.0", "Elastic-2.0", "EPL-1.0", "EPL-2.0",
	"EUPL-1.1", "EUPL-1.2", "GPL-2.0", "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0", "GPL-3.0-only",
	"GPL-3.0-or-later", "HPND", "ICU", "IJG", "ISC", "LGPL-2.0-only", "LGPL-2.0-or-later", "LGPL-2.1",
	"LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0", "LGPL-3.0-only", "LGPL-3.0-or-later", "LPPL-1.3c", "MIT",
	"MIT-0", "MPL-1.1", "MPL-2.0", "MPL-2.0-no-copyleft-exception", "MS-PL", "MS-RL", "MulanPSL-2.0", "NCSA",
	"ODbL-1.0", "OFL-1.1", "OpenSSL", "OSL-3.0", "PHP-3.01", "PostgreSQL", "PSF-2.0", "Python-2.0", "Ruby",
	"SSPL-1.0", "Unicode-3.0", "Unicode-DFS-2016", "Unlicense", "UPL-1.0", "Vim", "W3C", "WTFPL", "X11", "Zlib",
	"ZPL-2.1", "NONE", "NOASSERTION",
)

var (
	spdxTokenRe     = regexp.MustCompile(`\(|\)|[^\s()]+`)
	spdxExceptionRe = regexp.MustCompile(`^[A-Za-z0-9.-]+$`)
	spdxKnown       = func() map[string]bool {
		m := map[string]bool{}
		for id := range spdxIDs {
			m[strings.ToLower(id)] = true
		}
		return m
	}()
)

// validSPDX checks an SPDX license expression: known IDs (or LicenseRef-…,
// with an optional "+"), joined by AND/OR, exceptions after WITH, balanced
// parentheses.
func validSPDX(expr string) bool {
	toks := spdxTokenRe.FindAllString(expr, -1)
	if len(toks) == 0 {
		return false
	}
	depth, wantID := 0, true
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t == "(":
			if !wantID {
				return false
			}
			depth++
		case t == ")":
			if wantID || depth == 0 {
				return false
			}
			depth--
		case t == "AND" || t == "OR":
			if wantID {
				return false
			}
			wantID = true
		case t == "WITH":
			if wantID || i+1 >= len(toks) || !spdxExceptionRe.MatchString(toks[i+1]) {
				return false
			}
			i++
		default:
			if !wantID {
				return false
			}
			id := strings.TrimSuffix(t, "+")
			if !spdxKnown[strings.ToLower(id)] && !strings.HasPrefix(id, "LicenseRef-") && !strings.HasPrefix(id, "DocumentRef-") {
				return false
			}
			wantID = false
		}
	}
	return depth == 0 && !wantID
}

var ruleMaintainer = &rule{
	id: "maintainer", key: keyOCILabels, sev: Low,
	aliases: []string{"DL4000", "DS-0022", "CKV_DOCKER_6"},
	summary: "MAINTAINER is deprecated.",
	bad:     "FROM alpine:3.20\nMAINTAINER ops@example.com\nUSER 10001",
	good:    "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"ops@example.com\"\nUSER 10001",
	fix:     "Replace MAINTAINER with `LABEL org.opencontainers.image.authors=\"…\"`.",
}

func checkMaintainer(c *ctx) {
	for _, ins := range c.allIns() {
		if _, ok := ins.Command.(*instructions.MaintainerCommand); ok {
			c.reportAt(ruleMaintainer, ins, "MAINTAINER is deprecated")
		}
	}
}

func init() {
	ruleOCILabels.check = checkOCILabels
	ruleLabelFormat.check = checkLabelFormat
	ruleMaintainer.check = checkMaintainer
	register(ruleOCILabels, ruleLabelFormat, ruleMaintainer)
}
