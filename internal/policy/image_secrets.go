package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// no_secrets, on the built image: its config, its history and every layer.
// Messages name variables, paths and masked values, never a secret.

var ruleImageSecretEnv = &rule{
	id: "image-secret-env", key: keyNoSecrets, sev: Critical, aliases: []string{"CIS-DI-0010"}, scope: ScopeImage,
	summary: "`config.Env` holds a variable with a secret-like name (as `secret-env`) and a value, or, under any name, a credential-shaped value (AKIA…, ghp_…, xox…, a PEM private key) or a URL with `user:password@`; values are masked.",
	bad:     `"Env": ["API_TOKEN=****"]`, good: `"Env": ["PORT=3000"]`,
	fix: "Remove the variable from the image (ENV in any stage of the runtime chain, or the base image's) and give it at run time from the orchestrator's secrets; rotate it, anyone who can pull the image has it.",
}

func checkImageSecretEnv(c *ctx) {
	for _, p := range c.platforms() {
		for _, kv := range p.Env {
			k, v, _ := strings.Cut(kv, "=")
			switch what, masked := secretPair(k, v); what {
			case "":
			case "name":
				c.reportImage(ruleImageSecretEnv, p, fmt.Sprintf("ENV %s=%s in the image config looks like a secret", k, masked))
			default:
				c.reportImage(ruleImageSecretEnv, p, fmt.Sprintf("ENV %s in the image config holds %s (%s)", k, what, masked))
			}
		}
	}
}

// secretPair says why a KEY=VALUE holds a secret ("name" for a secret-like
// name, else what the value is) and returns the value masked; "" when it
// holds none. An empty value holds none.
func secretPair(k, v string) (what, masked string) {
	if v == "" {
		return "", ""
	}
	if m, ok := credentialIn(v); ok {
		return "a credential-shaped value", m
	}
	switch {
	case strings.Contains(v, "@") && histURLCredRe.MatchString(v):
		return "a URL with a password", clip(redactText(v), 60)
	case secretName(k):
		return "name", mask(v)
	}
	return "", ""
}

var ruleImageSecretHistory = &rule{
	id: "image-secret-history", key: keyNoSecrets, sev: Critical, aliases: []string{"CIS-DI-0010"}, scope: ScopeImage,
	summary: "The image history (`created_by`) records a secret: a build arg with a secret-like name and a value (BuildKit's `RUN |2 NPM_TOKEN=… …`, the classic builder's `|1 KEY=VALUE …`, `ARG KEY=VALUE`), an ENV with a secret-like name that the config no longer holds, or a literal credential in a command (a credential-shaped value, `user:password@` in a URL, an Authorization header, `_authToken=`, `--password`, `curl -u user:password`, a secret-like variable assigned a literal such as `PGPASSWORD=…`; `$VAR` references and placeholders such as `SECRET_KEY_BASE=dummy` pass); values are masked.",
	bad:     `"created_by": "RUN |1 NPM_TOKEN=**** /bin/sh -c npm ci # buildkit"`, good: `"created_by": "RUN /bin/sh -c npm ci # buildkit"`,
	fix: "Pass secrets with `RUN --mount=type=secret,id=…` (`secrets` on prodimage_build) instead of build args or ENV, and rotate the exposed one: the history is pulled with the image.",
}

func checkImageSecretHistory(c *ctx) {
	for _, p := range c.platforms() {
		// One finding per variable, however many entries repeat it.
		type varHits struct {
			what, first string
			n           int
		}
		byVar := map[string]*varHits{}
		var order []string
		for _, cb := range p.History {
			e := parseHistory(cb)
			for _, kv := range e.pairs {
				k, v := kv[0], kv[1]
				why, masked := secretPair(k, v)
				if why == "" || (e.keyword == "ENV" && slices.Contains(p.Env, k+"="+v)) {
					// image-secret-env reports what the config still holds.
					continue
				}
				what := "build arg"
				if e.keyword == "ENV" {
					what = "ENV"
				}
				id := what + " " + k
				vh := byVar[id]
				if vh == nil {
					vh = &varHits{what: fmt.Sprintf("%s %s=%s", what, k, masked), first: redactHistory(cb)}
					byVar[id] = vh
					order = append(order, id)
				}
				vh.n++
			}
			if e.keyword == "ARG" || e.keyword == "ENV" {
				continue // their pairs are all there is
			}
			if what := historyCredential(e.command); what != "" {
				c.reportImage(ruleImageSecretHistory, p, fmt.Sprintf("the history entry %s holds %s", quoteHistory(redactHistory(cb)), what))
			}
		}
		for _, id := range order {
			vh := byVar[id]
			msg := fmt.Sprintf("%s is recorded in the image history (%s)", vh.what, quoteHistory(vh.first))
			if vh.n > 1 {
				msg = fmt.Sprintf("%s is recorded in %d image history entries, first %s", vh.what, vh.n, quoteHistory(vh.first))
			}
			c.reportImage(ruleImageSecretHistory, p, msg)
		}
	}
}

func quoteHistory(s string) string { return strconv.Quote(s) }

var ruleImageSecretFile = &rule{
	id: "image-secret-file", key: keyNoSecrets, sev: Critical, aliases: []string{"CIS-DI-0010", "DKL-LI-0003"}, scope: ScopeImage,
	summary: "A secret file in any layer, including one a later layer deletes (it is still pulled): `.env*`, private keys (by content), `.npmrc`/`.pypirc`/`.netrc` with credentials, `.aws/credentials`, `.docker/config.json` with auths, `.git-credentials`, a `.git/` directory. The message names the path, its kind and the layer (counted from 1) with its `created_by`.",
	bad:     "layer 3, COPY . /app: adds /app/.env\nlayer 4, RUN rm /app/.env: deletes it (layer 3 still has it)",
	good:    ".dockerignore: .env*\nlayer 3, COPY . /app: no .env",
	fix:     "Keep the file out of every layer: exclude it in .dockerignore and copy only what the build needs, give the step that needs it a `RUN --mount=type=secret,…`; deleting it in a later layer does not remove it. Rotate the credential: anyone who can pull the image has it.",
}

func checkImageSecretFile(c *ctx) {
	for _, p := range c.platforms() {
		files := slices.Clone(p.SecretFiles)
		slices.SortStableFunc(files, func(a, b ImageSecretFile) int {
			if a.Layer != b.Layer {
				return a.Layer - b.Layer
			}
			return strings.Compare(a.Path, b.Path)
		})
		for _, f := range files {
			where := fmt.Sprintf("layer %d", f.Layer+1)
			if f.CreatedBy != "" {
				where += fmt.Sprintf(" (%s)", quoteHistory(redactHistory(f.CreatedBy)))
			}
			msg := fmt.Sprintf("%s (%s) is in the image's %s", f.Path, secretKind(f.Kind), where)
			if f.Deleted {
				msg = fmt.Sprintf("%s (%s) is deleted in a later layer — still in the image's %s, which every pull downloads", f.Path, secretKind(f.Kind), where)
			}
			c.reportImage(ruleImageSecretFile, p, msg)
		}
	}
}

// secretKind describes an ImageSecretFile.Kind.
func secretKind(kind string) string {
	switch kind {
	case "dotenv":
		return "a dotenv file"
	case "private-key":
		return "a private key"
	case "npmrc":
		return "an .npmrc with a registry token"
	case "pypirc":
		return "a .pypirc with a password"
	case "netrc":
		return "a .netrc with a password"
	case "aws-credentials":
		return "AWS credentials"
	case "docker-config":
		return "a Docker config with registry credentials"
	case "git-credentials":
		return "git credentials"
	case "git":
		return "a .git directory: history, remotes and whatever was ever committed"
	case "":
		return "a secret file"
	}
	return kind
}

// historyEntry is a created_by split into what the rules read.
type historyEntry struct {
	keyword string      // RUN, ARG, ENV, …; "" when unknown
	pairs   [][2]string // RUN build args, or ARG/ENV pairs
	command string      // what RUN runs; the text after the keyword otherwise
}

var (
	buildArgCountRe = regexp.MustCompile(`^\|(\d+) `)
	pairKeyRe       = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*=`)
	keywordRe       = regexp.MustCompile(`^([A-Z]+)(?: |$)`)
)

// parseHistory reads the created_by forms of BuildKit ("RUN |1 K=V /bin/sh
// -c cmd # buildkit", "ARG K=V", "ENV K=V") and of the classic builder
// ("|1 K=V /bin/sh -c cmd", "/bin/sh -c #(nop)  ENV K=V").
func parseHistory(createdBy string) historyEntry {
	s := strings.TrimSpace(createdBy)
	s = strings.TrimSpace(strings.TrimSuffix(s, "# buildkit"))
	if rest, ok := strings.CutPrefix(s, "/bin/sh -c #(nop)"); ok {
		s = strings.TrimSpace(rest)
	}
	var e historyEntry
	if m := keywordRe.FindStringSubmatch(s); m != nil {
		e.keyword = m[1]
		s = strings.TrimSpace(s[len(m[0]):])
	}
	if m := buildArgCountRe.FindStringSubmatch(s); m != nil && (e.keyword == "" || e.keyword == "RUN") {
		e.keyword = "RUN"
		n, _ := strconv.Atoi(m[1])
		e.pairs, e.command = splitPairs(s[len(m[0]):], n)
		return e
	}
	switch e.keyword {
	case "ARG", "ENV":
		e.pairs, _ = splitPairs(s, -1)
	}
	e.command = s
	return e
}

// splitPairs reads n KEY=VALUE words (all when n < 0) and returns the rest.
// Values are written unquoted, so a word that is not KEY=… continues the
// previous value, except after the last of n pairs, where the command
// starts.
func splitPairs(s string, n int) ([][2]string, string) {
	words := strings.Split(s, " ")
	var pairs [][2]string
	for i, w := range words {
		switch {
		case (n < 0 || len(pairs) < n) && pairKeyRe.MatchString(w):
			k, v, _ := strings.Cut(w, "=")
			pairs = append(pairs, [2]string{k, v})
		case n >= 0 && len(pairs) >= n:
			return pairs, strings.Join(words[i:], " ")
		case len(pairs) > 0:
			pairs[len(pairs)-1][1] += " " + w
		case n < 0:
			pairs = append(pairs, [2]string{w, ""}) // ARG NAME without a value
		default:
			return pairs, strings.Join(words[i:], " ")
		}
	}
	return pairs, ""
}

// Literal credentials in a history command. Unlike secret-in-run, a
// variable reference ($TOKEN) is not a finding here: the history holds the
// reference, not the value.
var (
	histURLCredRe  = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://[^/\s:@'"$]+:)[^@\s/'"$]+@`)
	histAuthRe     = regexp.MustCompile(`(?i)((?:authorization:\s*(?:bearer|basic|token)\s+|private-token:\s*|x-api-key:\s*))[^$\s'"]+`)
	histNpmAuthRe  = regexp.MustCompile(`(_auth(?:Token)?\s*=\s*)[^$\s'"]+`)
	histPasswordRe = regexp.MustCompile(`(--password(?:=|\s+))([^\s'"$-][^\s]*|'[^'$]+'|"[^"$]+")`)
	histAWSRe      = regexp.MustCompile(`(?i)(aws\s+configure\s+set\s+aws_secret_access_key\s+)[^$\s'"]+`)
	histUserOptRe  = regexp.MustCompile(`((?:^|\s)(?:-u|--user)(?:=|\s+)['"]?[^\s:'"$]+:)([^\s'"$][^\s'"]*)`)
	// NAME=value words: a shell assignment, or an option value.
	histAssignRe = regexp.MustCompile(`(^|[\s;&|(])([A-Za-z_][A-Za-z0-9_]*)=('[^'$]+'|"[^"$]+"|[^\s;&|)'"$][^\s;&|)]*)`)
)

// historyCredential says what literal credential a command holds, "" when
// none.
func historyCredential(cmd string) string {
	switch {
	case histURLCredRe.MatchString(cmd):
		return "a URL with user:password"
	case histAuthRe.MatchString(cmd):
		return "a literal authentication header"
	case histNpmAuthRe.MatchString(cmd):
		return "a literal registry _authToken"
	case histPasswordRe.MatchString(cmd):
		return "a literal --password"
	case histAWSRe.MatchString(cmd):
		return "a literal aws_secret_access_key"
	case strings.Contains(cmd, "curl") && histUserOptRe.MatchString(cmd):
		return "a literal curl --user user:password"
	}
	for _, m := range histAssignRe.FindAllStringSubmatch(cmd, -1) {
		if secretName(m[2]) && !placeholder(strings.Trim(m[3], `'"`)) {
			return "a literal value for " + m[2]
		}
	}
	if m, ok := credentialIn(cmd); ok {
		return "a credential-shaped value (" + m + ")"
	}
	return ""
}

// placeholder reports a value that only stands in for a secret, such as
// Rails' `SECRET_KEY_BASE=dummy rails assets:precompile`.
func placeholder(v string) bool {
	switch strings.ToLower(v) {
	case "dummy", "placeholder", "changeme", "none", "null", "nil", "true", "false", "test", "example", "unused", "disabled":
		return true
	}
	return len(v) <= 3
}

// redactHistory is a created_by fit to quote: BuildKit's build-arg prefix
// and "# buildkit" dropped, ARG/ENV values of secret-like names and every
// literal credential masked, clipped to one short line.
func redactHistory(createdBy string) string {
	e := parseHistory(createdBy)
	var s string
	switch {
	case e.keyword == "RUN":
		s = "RUN " + e.command
	case (e.keyword == "ARG" || e.keyword == "ENV") && len(e.pairs) > 0:
		parts := make([]string, len(e.pairs))
		for i, kv := range e.pairs {
			switch why, masked := secretPair(kv[0], kv[1]); {
			case kv[1] == "":
				parts[i] = kv[0]
			case why != "":
				parts[i] = kv[0] + "=" + masked
			default:
				parts[i] = kv[0] + "=" + kv[1]
			}
		}
		s = e.keyword + " " + strings.Join(parts, " ")
	case e.keyword != "":
		s = strings.TrimSpace(e.keyword + " " + e.command)
	default:
		s = e.command
	}
	return clip(redactText(s), 100)
}

// redactText masks every literal credential in s.
func redactText(s string) string {
	for _, re := range credentialShapes {
		s = re.ReplaceAllStringFunc(s, func(m string) string { return re.FindStringSubmatch(m)[1] + "****" })
	}
	s = histURLCredRe.ReplaceAllString(s, "${1}****@")
	s = histAuthRe.ReplaceAllString(s, "${1}****")
	s = histNpmAuthRe.ReplaceAllString(s, "${1}****")
	s = histPasswordRe.ReplaceAllString(s, "${1}****")
	s = histAWSRe.ReplaceAllString(s, "${1}****")
	s = histUserOptRe.ReplaceAllString(s, "${1}****")
	return histAssignRe.ReplaceAllStringFunc(s, func(m string) string {
		sub := histAssignRe.FindStringSubmatch(m)
		if !secretName(sub[2]) || strings.HasSuffix(sub[3], "****") {
			return m
		}
		return sub[1] + sub[2] + "=" + mask(strings.Trim(sub[3], `'"`))
	})
}

func init() {
	ruleImageSecretEnv.check = checkImageSecretEnv
	ruleImageSecretHistory.check = checkImageSecretHistory
	ruleImageSecretFile.check = checkImageSecretFile
	register(ruleImageSecretEnv, ruleImageSecretHistory, ruleImageSecretFile)
}
