package policy

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// supply_chain: what the build fetches is verified.

var ruleTLSVerifyDisabled = &rule{
	id: "tls-verify-disabled", key: keySupplyChain, sev: High,
	aliases: ckv2Docker(2, 16),
	summary: "TLS or signature verification switched off: curl -k/--insecure, wget --no-check-certificate, pip --trusted-host, `NODE_TLS_REJECT_UNAUTHORIZED=0`, npm/yarn strict-ssl false, `GIT_SSL_NO_VERIFY`/http.sslVerify false, apk --allow-untrusted, apt --allow-unauthenticated, --nogpgcheck, rpm --nosignature, `PYTHONHTTPSVERIFY=0`, `GOSUMDB=off`, `GOINSECURE`.",
	bad:     "FROM alpine:3.20\nRUN wget --no-check-certificate -O /tmp/tool.tgz https://downloads.example.com/tool.tgz\nUSER 10001",
	good:    "FROM alpine:3.20\nRUN wget -O /tmp/tool.tgz https://downloads.example.com/tool.tgz && echo \"<sha256>  /tmp/tool.tgz\" | sha256sum -c -\nUSER 10001",
	fix:     "Keep verification on; if a private CA is the reason, add its certificate to the trust store (`COPY ca.crt /usr/local/share/ca-certificates/ && update-ca-certificates`).",
}

func ckv2Docker(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("CKV2_DOCKER_%d", i))
	}
	return out
}

var (
	strictSSLRe   = regexp.MustCompile(`(?i)strict[-_]ssl["']?(\s+|\s*=\s*)["']?false`)
	sslVerifyRe   = regexp.MustCompile(`(?i)sslverify["']?(\s+|\s*=\s*)["']?(false|0|no)\b`)
	nodeTLSRe     = regexp.MustCompile(`NODE_TLS_REJECT_UNAUTHORIZED\s*=\s*["']?0`)
	gitNoVerifyRe = regexp.MustCompile(`GIT_SSL_NO_VERIFY\s*=\s*["']?(1|true|yes)`)
	aptInsecureRe = regexp.MustCompile(`(?i)--allow-unauthenticated|--allow-insecure-repositories|AllowInsecureRepositories[= ]+["']?true|\[trusted=yes\]`)
	gpgOffRe      = regexp.MustCompile(`--nogpgcheck|gpgcheck\s*=\s*0`)
	pyHTTPSRe     = regexp.MustCompile(`PYTHONHTTPSVERIFY\s*=\s*["']?0`)
	goSumOffRe    = regexp.MustCompile(`GOSUMDB\s*=\s*["']?off|GOINSECURE\s*=\s*["']?[^"'\s]|GOFLAGS\s*=\s*["']?[^"'\n]*-insecure`)
)

func checkTLSVerifyDisabled(c *ctx) {
	for _, ins := range c.everyIns() {
		for _, kv := range envOf(ins) {
			k, v := kv[0], strings.ToLower(kv[1])
			bad := (k == "NODE_TLS_REJECT_UNAUTHORIZED" && v == "0") ||
				(k == "GIT_SSL_NO_VERIFY" && v != "" && v != "0" && v != "false") ||
				(k == "PYTHONHTTPSVERIFY" && v == "0") ||
				(k == "NPM_CONFIG_STRICT_SSL" && v == "false") ||
				(k == "GOSUMDB" && v == "off") || (k == "GOINSECURE" && v != "") ||
				(k == "PIP_TRUSTED_HOST" && v != "")
			if bad {
				c.reportAt(ruleTLSVerifyDisabled, ins, fmt.Sprintf("ENV %s=%s turns off verification", k, kv[1]))
			}
		}
		ri := c.runs[ins]
		if ri == nil {
			continue
		}
		if what := insecureIn(ri); what != "" {
			c.reportAt(ruleTLSVerifyDisabled, ins, what+" turns off verification of what is downloaded")
		}
	}
}

func insecureIn(ri *runInfo) string {
	for _, cmd := range ri.cmds {
		switch cmd.name() {
		case "curl":
			if cmd.hasShort('k') || cmd.hasArg("--insecure") {
				return "curl -k/--insecure"
			}
		case "wget":
			if cmd.hasArg("--no-check-certificate") {
				return "wget --no-check-certificate"
			}
		case "rpm":
			if cmd.hasArg("--nosignature", "--nodigest") {
				return "rpm --nosignature"
			}
		}
	}
	for i := range ri.ops {
		op := &ri.ops[i]
		switch {
		case op.mgr == "pip" && op.has("--trusted-host"):
			return "pip --trusted-host"
		case op.mgr == "apk" && op.has("--allow-untrusted"):
			return "apk --allow-untrusted"
		}
	}
	s := ri.script
	switch {
	case strings.Contains(s, "trusted-host"):
		return "pip trusted-host"
	case nodeTLSRe.MatchString(s):
		return "NODE_TLS_REJECT_UNAUTHORIZED=0"
	case strictSSLRe.MatchString(s):
		return "strict-ssl false"
	case gitNoVerifyRe.MatchString(s), sslVerifyRe.MatchString(s):
		return "git http.sslVerify false"
	case aptInsecureRe.MatchString(s):
		return "apt --allow-unauthenticated"
	case gpgOffRe.MatchString(s):
		return "--nogpgcheck"
	case pyHTTPSRe.MatchString(s):
		return "PYTHONHTTPSVERIFY=0"
	case goSumOffRe.MatchString(s):
		return "GOSUMDB=off/GOINSECURE"
	}
	return ""
}

var ruleCurlPipeShell = &rule{
	id: "curl-pipe-shell", key: keySupplyChain, sev: High,
	summary: "curl/wget output piped into a shell (or an interpreter): unverified code runs in the build.",
	bad:     "FROM debian:12-slim\nRUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -\nUSER 10001",
	good:    "FROM node:20.11.1-bookworm-slim\nUSER 10001",
	fix:     "Download to a file, verify its checksum or signature, then run it (`curl -fsSLo x.sh URL && echo \"<sha256>  x.sh\" | sha256sum -c - && sh x.sh`), or use a base image or package that ships the tool.",
}

var (
	pipeTargets   = regexp.MustCompile(`^(sh|bash|ash|dash|zsh|ksh|python[0-9.]*|perl|ruby|node)$`)
	substShellRe  = regexp.MustCompile(`(sh|bash|zsh)\s+(-[a-zA-Z]+\s+)*["']?\$\((curl|wget)\b`)
	procSubstRe   = regexp.MustCompile(`(sh|bash|zsh|source|\.)\s+<\(\s*(curl|wget)\b`)
	fetchCommands = map[string]bool{"curl": true, "wget": true}
)

func checkCurlPipeShell(c *ctx) {
	for _, ins := range c.everyIns() {
		ri := c.runs[ins]
		if ri == nil {
			continue
		}
		found := ""
		for i, cmd := range ri.cmds {
			if !fetchCommands[cmd.name()] || !cmd.pipeOut {
				continue
			}
			for j := i + 1; j < len(ri.cmds) && ri.cmds[j].pipeIn; j++ {
				if n := ri.cmds[j].name(); pipeTargets.MatchString(n) {
					found = cmd.name() + " | " + n
					break
				}
				if !ri.cmds[j].pipeOut {
					break
				}
			}
			if found != "" {
				break
			}
		}
		if found == "" && (substShellRe.MatchString(ri.script) || procSubstRe.MatchString(ri.script)) {
			found = "a shell running downloaded code"
		}
		if found != "" {
			c.reportAt(ruleCurlPipeShell, ins, fmt.Sprintf("RUN pipes a download into a shell (%s): the script is not verified", found))
		}
	}
}

var ruleAddURL = &rule{
	id: "add-url", key: keySupplyChain, sev: Medium,
	aliases: []string{"DS-0005"},
	summary: "`ADD <url>` without `--checksum` (a git URL pinned to a full commit hash passes).",
	bad:     "FROM alpine:3.20\nADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini\nUSER 10001",
	good:    "FROM alpine:3.20\nADD --checksum=sha256:c5b0666b4cb676901f90dfcb37106783c5fe2077b04590973b885950611b30ee --chmod=755 https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini\nUSER 10001",
	fix:     "Add `--checksum=sha256:<digest>` to ADD (BuildKit verifies it), or download in a RUN and check the hash.",
}

var gitCommitRefRe = regexp.MustCompile(`#[0-9a-f]{40}(:|$)`)

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "git@") || strings.HasPrefix(s, "git://") || strings.HasPrefix(s, "ssh://")
}

func checkAddURL(c *ctx) {
	for _, ins := range c.everyIns() {
		ci := copyOf(ins)
		if ci == nil || !ci.add || ci.checksum != "" {
			continue
		}
		for _, s := range ci.srcs {
			if !isURL(s) || gitCommitRefRe.MatchString(s) {
				continue
			}
			c.reportAt(ruleAddURL, ins, fmt.Sprintf("ADD %s without --checksum: the download is not verified", s))
			break
		}
	}
}

var ruleAddLocal = &rule{
	id: "add-local", key: keySupplyChain, sev: Low,
	aliases: []string{"DL3020", "CKV_DOCKER_4", "CIS-DI-0009"},
	summary: "ADD of local files that are not archives: COPY does the same without ADD's implicit extraction and download.",
	bad:     "FROM alpine:3.20\nADD app.py /app/\nUSER 10001",
	good:    "FROM alpine:3.20\nCOPY app.py /app/\nUSER 10001",
	fix:     "Use COPY for local files; keep ADD for local tar archives it should extract, or for URLs with --checksum.",
}

var archiveExts = []string{".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst", ".tzst", ".tar.lz4"}

func checkAddLocal(c *ctx) {
	for _, ins := range c.everyIns() {
		ac, ok := ins.Command.(*instructions.AddCommand)
		if !ok {
			continue
		}
		var local []string
		for _, s := range ac.SourcePaths {
			if isURL(s) || isArchive(s) {
				continue
			}
			local = append(local, s)
		}
		for _, sc := range ac.SourceContents {
			local = append(local, "<<"+sc.Path)
		}
		if len(local) > 0 {
			c.reportAt(ruleAddLocal, ins, fmt.Sprintf("ADD of local files that are not archives (%s): use COPY", strings.Join(local, ", ")))
		}
	}
}

func isArchive(s string) bool {
	b := strings.ToLower(path.Base(s))
	for _, e := range archiveExts {
		if strings.HasSuffix(b, e) {
			return true
		}
	}
	return false
}

var ruleSyntaxPin = &rule{
	id: "syntax-pin", key: keySupplyChain, sev: Low,
	summary: "A `# syntax=` frontend image not pinned by digest: the frontend that parses the Dockerfile can change under you.",
	bad:     "# syntax=docker/dockerfile:1\nFROM alpine:3.20\nUSER 10001",
	good:    "# syntax=docker/dockerfile:1.10@sha256:865e5dd094beca432e8c0a1d5e1c465db5f998dca4e439981029b3b81fb39ed5\nFROM alpine:3.20\nUSER 10001",
	fix:     "Pin the frontend by digest (`# syntax=docker/dockerfile:1.10@sha256:<digest>`), or drop the line to use the builder's built-in frontend.",
}

func checkSyntaxPin(c *ctx) {
	s := c.f.Syntax
	if s == nil {
		return
	}
	ref, _, _ := strings.Cut(strings.TrimSpace(s.Value), " ")
	if !strings.Contains(ref, "@sha256:") {
		c.report(ruleSyntaxPin, s.Line, nil, fmt.Sprintf("# syntax=%s is not pinned by digest", ref))
	}
}

func init() {
	ruleTLSVerifyDisabled.check = checkTLSVerifyDisabled
	ruleCurlPipeShell.check = checkCurlPipeShell
	ruleAddURL.check = checkAddURL
	ruleAddLocal.check = checkAddLocal
	ruleSyntaxPin.check = checkSyntaxPin
	register(ruleTLSVerifyDisabled, ruleCurlPipeShell, ruleAddURL, ruleAddLocal, ruleSyntaxPin)
}
