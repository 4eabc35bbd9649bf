package policy

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"unicode"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// no_secrets: nothing secret in any layer, the image config or its history.
// Messages never quote a secret: values are masked.

// secretName reports a variable name that says it holds a secret.
func secretName(name string) bool {
	toks := nameTokens(name)
	for _, t := range toks {
		switch t {
		case "public", "file", "files", "version":
			return false
		}
	}
	for i, t := range toks {
		switch {
		case strings.Contains(t, "password"), strings.Contains(t, "passwd"), strings.Contains(t, "secret"),
			strings.Contains(t, "credential"), strings.Contains(t, "apikey"), strings.Contains(t, "privatekey"),
			strings.Contains(t, "accesskey"):
			return true
		case t == "token" || t == "tokens" || (strings.HasSuffix(t, "token") && len(t) > 5):
			return true
		case t == "auth" || t == "authorization" || t == "oauth":
			return true
		case t == "key" && i > 0 && (toks[i-1] == "api" || toks[i-1] == "private" || toks[i-1] == "access"):
			return true
		}
	}
	return false
}

// nameTokens splits SNAKE_CASE, kebab-case, dotted and camelCase names into
// lower-case words.
func nameTokens(name string) []string {
	var toks []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, strings.ToLower(cur.String()))
			cur.Reset()
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && i > 0 && unicode.IsLower(rs[i-1]):
			flush()
			cur.WriteRune(r)
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return toks
}

// credentialShapes are values that are credentials whatever they are called.
// The prefix group is what a masked message may show.
var credentialShapes = []*regexp.Regexp{
	regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`),
	regexp.MustCompile(`\b(gh[pousr]_)[A-Za-z0-9]{36,}`),
	regexp.MustCompile(`\b(github_pat_)[A-Za-z0-9_]{22,}`),
	regexp.MustCompile(`\b(xox[abprs]-)[A-Za-z0-9-]{10,}`),
	regexp.MustCompile(`(-----BEGIN) ?[A-Z ]*PRIVATE KEY-----`),
	regexp.MustCompile(`\b(glpat-)[A-Za-z0-9_-]{20,}`),
	regexp.MustCompile(`\b(sk_live_)[0-9a-zA-Z]{24,}`),
	regexp.MustCompile(`\b(npm_)[A-Za-z0-9]{36}\b`),
	regexp.MustCompile(`\b(AIza)[0-9A-Za-z_-]{35}\b`),
}

// credentialHint is a cheap pass over the text for the prefixes above, so the
// full patterns only run where one of them appears.
var credentialHint = regexp.MustCompile(`AKIA|ASIA|gh[pousr]_|github_pat_|xox[abprs]-|-----BEGIN|glpat-|sk_live_|npm_|AIza`)

// credentialIn finds a credential-shaped value in s and returns it masked
// (its well-known prefix and "****").
func credentialIn(s string) (string, bool) {
	if !credentialHint.MatchString(s) {
		return "", false
	}
	for _, re := range credentialShapes {
		if m := re.FindStringSubmatch(s); m != nil {
			return m[1] + "****", true
		}
	}
	return "", false
}

// mask hides a value entirely unless it has a well-known credential prefix.
func mask(v string) string {
	if m, ok := credentialIn(v); ok {
		return m
	}
	return "****"
}

var ruleSecretEnv = &rule{
	id: "secret-env", key: keyNoSecrets, sev: Critical,
	aliases: []string{"DL3064", "DS-0031", "SecretsUsedInArgOrEnv"},
	summary: "ENV with a secret-like name (password, passwd, secret, token, api_key, apikey, auth, credential, private_key, access_key; not public/file/version) or a credential-shaped value (AKIA…, ghp_…, xox…, a PEM private key), in any stage: ENV is stored in the image config.",
	bad:     "FROM node:20-alpine\nENV NPM_TOKEN=0123456789abcdef\nUSER 10001",
	good:    "FROM node:20-alpine\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\nUSER 10001",
	fix:     "Do not put secrets in ENV: pass them at run time (orchestrator secrets) or, for the build, with `RUN --mount=type=secret,id=…` and `secrets` on the build.",
}

func checkSecretEnv(c *ctx) {
	for _, ins := range c.everyIns() {
		for _, kv := range envOf(ins) {
			k, v := kv[0], kv[1]
			if v == "" {
				continue
			}
			if m, ok := credentialIn(v); ok {
				c.reportAt(ruleSecretEnv, ins, fmt.Sprintf("ENV %s holds a credential-shaped value (%s) that is stored in the image config", k, m))
			} else if secretName(k) {
				c.reportAt(ruleSecretEnv, ins, fmt.Sprintf("ENV %s=%s puts a secret-like variable in the image config", k, mask(v)))
			}
		}
	}
}

var ruleSecretArg = &rule{
	id: "secret-arg", key: keyNoSecrets, sev: High,
	aliases: []string{"DL3064", "SecretsUsedInArgOrEnv"},
	summary: "ARG with a secret-like name (or a credential-shaped default) in any stage: build-arg values persist in the image history and the build provenance.",
	bad:     "FROM node:20-alpine\nARG NPM_TOKEN\nRUN npm ci\nUSER 10001",
	good:    "FROM node:20-alpine\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\nUSER 10001",
	fix:     "Pass the secret with a BuildKit secret mount (`RUN --mount=type=secret,id=token,env=TOKEN …`) instead of an ARG.",
}

func checkSecretArg(c *ctx) {
	for _, ins := range c.everyIns() {
		ac, ok := ins.Command.(*instructions.ArgCommand)
		if !ok {
			continue
		}
		for _, kv := range ac.Args {
			if kv.Value != nil {
				if m, ok := credentialIn(*kv.Value); ok {
					c.reportAt(ruleSecretArg, ins, fmt.Sprintf("ARG %s has a credential-shaped default (%s)", kv.Key, m))
					continue
				}
			}
			if secretName(kv.Key) {
				c.reportAt(ruleSecretArg, ins, fmt.Sprintf("ARG %s looks like a secret: build-arg values are recorded in the image history and provenance", kv.Key))
			}
		}
	}
}

var ruleSecretFile = &rule{
	id: "secret-file", key: keyNoSecrets, sev: Critical,
	aliases: []string{"CIS-DI-0010"},
	summary: "COPY/ADD of `.env*`, `id_rsa*`, `id_ed25519*`, `*.pem`, `*.key`, `.npmrc`, `.pypirc`, `.netrc`, `credentials*.json`, `.aws/`, `.ssh/`, `.docker/config.json`, in any stage: the file stays in that layer.",
	bad:     "FROM node:20-alpine\nCOPY .npmrc package.json package-lock.json ./\nRUN npm ci\nUSER 10001",
	good:    "FROM node:20-alpine\nCOPY package.json package-lock.json ./\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\nUSER 10001",
	fix:     "Mount the file for the one step that needs it (`RUN --mount=type=secret,id=npmrc,target=/root/.npmrc …`) instead of copying it, and exclude it in .dockerignore.",
}

var secretFileGlobs = []string{".env*", "id_rsa*", "id_dsa*", "id_ecdsa*", "id_ed25519*", "*.pem", "*.key", ".npmrc", ".pypirc", ".netrc", "credentials*.json", ".git-credentials"}

// secretPath reports a path that is, or is inside, a secret file or directory.
func secretPath(p string) bool {
	p = strings.TrimSuffix(p, "/")
	if p == "" || p == "." {
		return false
	}
	for _, g := range secretFileGlobs {
		if ok, _ := path.Match(g, path.Base(p)); ok {
			return true
		}
	}
	slashed := "/" + strings.TrimPrefix(p, "/") + "/"
	return strings.Contains(slashed, "/.aws/") || strings.Contains(slashed, "/.ssh/") || strings.HasSuffix(p, ".docker/config.json")
}

func checkSecretFile(c *ctx) {
	for _, ins := range c.everyIns() {
		ci := copyOf(ins)
		if ci == nil {
			continue
		}
		var hits []string
		for _, s := range ci.srcs {
			if strings.Contains(s, "://") {
				continue
			}
			if secretPath(s) {
				hits = append(hits, s)
			}
		}
		if len(hits) == 0 && secretPath(ci.dest) && !strings.HasSuffix(ci.dest, "/") {
			hits = append(hits, ci.dest)
		}
		for _, sc := range ci.contents {
			if m, ok := credentialIn(sc.Data); ok {
				hits = append(hits, fmt.Sprintf("a heredoc holding %s", m))
			} else if strings.Contains(sc.Data, "_authToken=") || strings.Contains(sc.Data, "_auth=") {
				hits = append(hits, "a heredoc holding a registry token")
			}
		}
		if len(hits) > 0 {
			c.reportAt(ruleSecretFile, ins, fmt.Sprintf("%s puts a secret file into the layer: %s", ins.Keyword, strings.Join(hits, ", ")))
		}
	}
}

var ruleSecretInRun = &rule{
	id: "secret-in-run", key: keyNoSecrets, sev: Critical,
	aliases: []string{"DS-0031"},
	summary: "RUN holding literal credentials (`user:pass@` URLs, literal Authorization headers, `_authToken=`, `--password <literal>`, `aws configure set aws_secret_access_key`, credential-shaped values) without `--mount=type=secret`: the command line is stored in the image history.",
	bad:     "FROM alpine:3.20\nRUN wget -q https://deploy:s3cret@downloads.example.com/app.tgz\nUSER 10001",
	good:    "FROM alpine:3.20\nRUN --mount=type=secret,id=netrc,target=/root/.netrc wget -q https://downloads.example.com/app.tgz\nUSER 10001",
	fix:     "Give the credential to the step with `RUN --mount=type=secret,id=…` (read it from /run/secrets or env=…) so it never appears in a layer or the history.",
}

var (
	urlCredRe     = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@'"]+:[^@\s/'"]+@`)
	urlTokenRe    = regexp.MustCompile(`://\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?@`)
	authHeaderRe  = regexp.MustCompile(`(?i)(authorization:\s*(bearer|basic|token)\s+|private-token:\s*|x-api-key:\s*)[^$\s'"]`)
	awsSecretRe   = regexp.MustCompile(`(?i)aws\s+configure\s+set\s+aws_secret_access_key`)
	npmAuthRe     = regexp.MustCompile(`_auth(Token)?\s*=`)
	passwordOptRe = regexp.MustCompile(`--password(=|\s+)([^\s'"$-][^\s]*|'[^'$]+'|"[^"$]+")`)
)

func checkSecretInRun(c *ctx) {
	for _, ins := range c.everyIns() {
		ri := c.runs[ins]
		if ri == nil || ri.hasSecretMount() {
			continue
		}
		text := ri.script + "\n" + ri.payload
		lower := strings.ToLower(text)
		url := strings.Contains(text, "://") && strings.Contains(text, "@")
		var what string
		// Each pattern runs only where a cheap substring test says it can match.
		switch {
		case url && urlCredRe.MatchString(text):
			what = "a URL with user:password"
		case url && urlTokenRe.MatchString(text) && secretName(urlTokenRe.FindStringSubmatch(text)[1]):
			what = "a URL with a token in it"
		case (strings.Contains(lower, "authorization") || strings.Contains(lower, "private-token") || strings.Contains(lower, "x-api-key")) && authHeaderRe.MatchString(text):
			what = "a literal authentication header"
		case strings.Contains(text, "_auth") && npmAuthRe.MatchString(text):
			what = "a registry _authToken"
		case strings.Contains(text, "--password") && passwordOptRe.MatchString(text):
			what = "a literal --password"
		case strings.Contains(lower, "aws_secret_access_key") && awsSecretRe.MatchString(text):
			what = "aws configure set aws_secret_access_key"
		}
		if m, ok := credentialIn(text); ok && what == "" {
			what = "a credential-shaped value (" + m + ")"
		}
		if what != "" {
			c.reportAt(ruleSecretInRun, ins, fmt.Sprintf("RUN holds %s without a secret mount: it is stored in the image history", what))
		}
	}
}

var ruleCopyContextLeak = &rule{
	id: "copy-context-leak", key: keyNoSecrets, sev: High,
	summary: "`COPY .`/`ADD .` of the whole context while `.dockerignore` is missing or does not exclude `.env*` and `.git`.",
	bad:     "FROM node:20-alpine\nCOPY . .\nUSER 10001",
	good:    "FROM node:20-alpine\nCOPY package.json package-lock.json ./\nCOPY src/ ./src/\nUSER 10001",
	fix:     "Add a .dockerignore that excludes at least `.git` and `.env*` (see the brief's universal .dockerignore), or copy only the paths the build needs.",
}

func checkCopyContextLeak(c *ctx) {
	var missing []string
	checked := false
	for _, ins := range c.everyIns() {
		ci := copyOf(ins)
		if ci == nil || !ci.wholeContext() {
			continue
		}
		if !checked {
			checked = true
			if c.in.Dockerignore != nil {
				missing = c.notExcluded(".git", ".env*")
				if len(missing) == 0 {
					return
				}
			}
		}
		if c.in.Dockerignore == nil {
			c.reportAt(ruleCopyContextLeak, ins, fmt.Sprintf("%s copies the whole build context and there is no %s: .git, .env files and local credentials go into the layer", ins.Keyword, c.in.DockerignoreName))
		} else {
			c.reportAt(ruleCopyContextLeak, ins, fmt.Sprintf("%s copies the whole build context and %s does not exclude %s", ins.Keyword, c.in.DockerignoreName, strings.Join(missing, ", ")))
		}
	}
}

// probes are the paths that stand for an entry when testing the ignore file.
var probes = map[string][]string{
	".git":         {".git", ".git/config", ".git/HEAD"},
	".env*":        {".env", ".env.local", ".env.production"},
	"node_modules": {"node_modules", "node_modules/x/package.json"},
	"__pycache__":  {"__pycache__", "__pycache__/main.cpython-312.pyc"},
	".venv":        {".venv", ".venv/bin/python"},
}

// notExcluded returns the entries the .dockerignore does not exclude. The
// matcher compiles its patterns on first use, so it is built once per
// evaluation and answers are remembered.
func (c *ctx) notExcluded(entries ...string) []string {
	if c.ignore == nil {
		c.ignore = &ignoreState{excluded: map[string]bool{}}
		if pats, err := ignorefile.ReadAll(strings.NewReader(string(c.in.Dockerignore))); err == nil {
			c.ignore.pm, _ = patternmatcher.New(pats)
		}
	}
	var out []string
	for _, e := range entries {
		ok, seen := c.ignore.excluded[e]
		if !seen {
			ok = c.ignore.pm != nil
			for _, p := range probes[e] {
				if !ok {
					break
				}
				if m, err := c.ignore.pm.MatchesOrParentMatches(p); err != nil || !m {
					ok = false
				}
			}
			c.ignore.excluded[e] = ok
		}
		if !ok {
			out = append(out, e)
		}
	}
	return out
}

type ignoreState struct {
	pm       *patternmatcher.PatternMatcher
	excluded map[string]bool
}

func init() {
	ruleSecretEnv.check = checkSecretEnv
	ruleSecretArg.check = checkSecretArg
	ruleSecretFile.check = checkSecretFile
	ruleSecretInRun.check = checkSecretInRun
	ruleCopyContextLeak.check = checkCopyContextLeak
	register(ruleSecretEnv, ruleSecretArg, ruleSecretFile, ruleSecretInRun, ruleCopyContextLeak)
}
