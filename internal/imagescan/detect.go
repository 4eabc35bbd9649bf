package imagescan

import (
	"bytes"
	"encoding/json"
	"path"
	"strings"
)

// Secret file kinds, as SecretFile.Kind reports them.
const (
	KindDotenv         = "dotenv"
	KindPrivateKey     = "private-key"
	KindNpmrc          = "npmrc"
	KindPypirc         = "pypirc"
	KindNetrc          = "netrc"
	KindAWSCredentials = "aws-credentials"
	KindDockerConfig   = "docker-config"
	KindGitCredentials = "git-credentials"
	KindGit            = "git"
)

const (
	// sniffCap: files larger than this are never opened for content checks.
	sniffCap = 1 << 20
	// sniffLen: how much of a file the content checks look at.
	sniffLen = 64 << 10
	// passwdCap bounds the /etc/passwd content kept for the user check.
	passwdCap = 1 << 20
)

// nameKind classifies a regular file by its path alone. needsContent says whether the
// kind only counts when the content holds a credential (see contentHolds).
func nameKind(p string) (kind string, needsContent bool) {
	base := path.Base(p)
	switch {
	case isDotenv(base):
		return KindDotenv, false
	case base == ".npmrc" || base == "npmrc":
		return KindNpmrc, true
	case base == ".pypirc":
		return KindPypirc, true
	case base == ".netrc" || base == "_netrc":
		return KindNetrc, true
	case base == ".git-credentials":
		return KindGitCredentials, true
	case base == "credentials" && path.Base(path.Dir(p)) == ".aws":
		return KindAWSCredentials, true
	case base == "config.json" && path.Base(path.Dir(p)) == ".docker", base == ".dockercfg":
		return KindDockerConfig, true
	}
	return "", false
}

// dotenvTemplates are the last name parts of .env files that are committed templates
// (keys with placeholder values), not secrets.
var dotenvTemplates = map[string]bool{
	"example": true, "examples": true, "sample": true, "template": true, "tmpl": true,
	"tpl": true, "dist": true, "defaults": true, "schema": true,
}

// isDotenv matches RULES.md's `.env*`: .env, .env.production, .env-local, .env_prod and
// direnv's .envrc (it exports variables, typically credentials, into a shell), but not
// the templates above (.env.example, .env.local.sample) nor other names that merely
// start with ".env" (.environment, .envoy.yaml).
func isDotenv(base string) bool {
	if base == ".env" || base == ".envrc" {
		return true
	}
	rest, ok := strings.CutPrefix(base, ".env")
	if !ok || rest == "" || !strings.ContainsRune(".-_", rune(rest[0])) {
		return false
	}
	last := rest[strings.LastIndexAny(rest, ".-_")+1:]
	return !dotenvTemplates[strings.ToLower(last)]
}

// contentHolds reports whether head (the first bytes of a file of kind) holds a
// credential. Values that only reference an environment variable (${NPM_TOKEN}) do not.
func contentHolds(kind string, head []byte) bool {
	switch kind {
	case KindNpmrc:
		return iniHas(head, "=", func(k string) bool {
			if i := strings.LastIndexByte(k, ':'); i >= 0 {
				k = k[i+1:]
			}
			return k == "_authtoken" || k == "_auth" || k == "_password" || k == "password"
		})
	case KindPypirc:
		return iniHas(head, "=:", func(k string) bool { return k == "password" })
	case KindAWSCredentials:
		return iniHas(head, "=:", func(k string) bool { return k == "aws_secret_access_key" || k == "aws_session_token" })
	case KindNetrc:
		return netrcHasPassword(head)
	case KindDockerConfig:
		return dockerConfigHasAuth(head)
	case KindGitCredentials:
		return gitCredentialsHasPassword(head)
	}
	return false
}

// iniHas reports a line "key<sep>value" whose lower-cased key satisfies want and whose
// value is set: neither empty nor only an environment reference.
func iniHas(b []byte, seps string, want func(key string) bool) bool {
	for line := range bytes.Lines(b) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' || line[0] == ';' || line[0] == '[' {
			continue
		}
		i := bytes.IndexAny(line, seps)
		if i <= 0 {
			continue
		}
		key := strings.ToLower(string(bytes.TrimSpace(line[:i])))
		if want(key) && valueSet(line[i+1:]) {
			return true
		}
	}
	return false
}

func valueSet(v []byte) bool {
	v = bytes.Trim(bytes.TrimSpace(v), `"'`)
	if len(v) == 0 {
		return false
	}
	if bytes.HasPrefix(v, []byte("${")) && bytes.IndexByte(v, '}') == len(v)-1 {
		return false
	}
	return true
}

// netrcHasPassword: netrc is a stream of whitespace-separated tokens, "password" is
// followed by the password itself.
func netrcHasPassword(b []byte) bool {
	f := bytes.Fields(b)
	for i := 0; i+1 < len(f); i++ {
		if string(f[i]) == "password" {
			return true
		}
	}
	return false
}

type dockerAuth struct {
	Auth          string `json:"auth"`
	IdentityToken string `json:"identitytoken"`
	RegistryToken string `json:"registrytoken"`
	Password      string `json:"password"`
}

func (a dockerAuth) set() bool {
	return a.Auth != "" || a.IdentityToken != "" || a.RegistryToken != "" || a.Password != ""
}

// dockerConfigHasAuth: an auths entry (config.json) or a top-level entry (the legacy
// .dockercfg) holding a credential; entries left empty for a credential helper do not count.
func dockerConfigHasAuth(b []byte) bool {
	var cfg struct {
		Auths map[string]dockerAuth `json:"auths"`
	}
	if err := json.Unmarshal(b, &cfg); err == nil {
		for _, a := range cfg.Auths {
			if a.set() {
				return true
			}
		}
		var legacy map[string]dockerAuth
		if json.Unmarshal(b, &legacy) == nil {
			for _, a := range legacy {
				if a.set() {
					return true
				}
			}
		}
		return false
	}
	// Cut at sniffLen, or not JSON at all: look for a non-empty credential field.
	for _, k := range []string{`"auth"`, `"identitytoken"`, `"registrytoken"`, `"password"`} {
		for rest := b; ; {
			i := bytes.Index(rest, []byte(k))
			if i < 0 {
				break
			}
			rest = bytes.TrimLeft(rest[i+len(k):], " \t\r\n")
			if len(rest) > 0 && rest[0] == ':' {
				rest = bytes.TrimLeft(rest[1:], " \t\r\n")
				if len(rest) > 1 && rest[0] == '"' && rest[1] != '"' {
					return true
				}
			}
		}
	}
	return false
}

// gitCredentialsHasPassword: git's credential store keeps one URL per line,
// https://user:password@host.
func gitCredentialsHasPassword(b []byte) bool {
	for line := range bytes.Lines(b) {
		_, rest, ok := bytes.Cut(line, []byte("://"))
		if !ok {
			continue
		}
		at := bytes.LastIndexByte(rest, '@')
		if at > 0 && bytes.IndexByte(rest[:at], ':') > 0 {
			return true
		}
	}
	return false
}

var (
	pemMarker = []byte("PRIVATE KEY-----")
	pemBegin  = []byte("-----BEGIN ")
	puttyKey  = []byte("PuTTY-User-Key-File-")
)

// hasPrivateKey finds a PEM private key block (RSA, EC, DSA, OPENSSH, ENCRYPTED, PKCS#8)
// or a PuTTY key in head. A PEM header only counts when a line break (or the `\n` escape
// of a JSON string, as in a cloud service-account key) and base64 data follow it, so
// that code and documentation naming the header ("-----BEGIN %s-----", a string
// literal, "MIIE...") are not keys.
func hasPrivateKey(head []byte) bool {
	if bytes.HasPrefix(head, puttyKey) {
		return true
	}
	if !bytes.Contains(head, pemMarker) {
		return false
	}
	for rest := head; ; {
		i := bytes.Index(rest, pemBegin)
		if i < 0 {
			return false
		}
		rest = rest[i+len(pemBegin):]
		end := bytes.Index(rest, []byte("-----"))
		if end < 0 || end > 40 {
			continue
		}
		label := rest[:end]
		if !bytes.HasSuffix(label, []byte("PRIVATE KEY")) || !upperLabel(label) {
			continue
		}
		if pemBodyFollows(rest[end+5:]) {
			return true
		}
	}
}

func upperLabel(b []byte) bool {
	for _, c := range b {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != ' ' {
			return false
		}
	}
	return true
}

func pemBodyFollows(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("\r"))
	switch {
	case bytes.HasPrefix(b, []byte("\n")):
		b = b[1:]
	case bytes.HasPrefix(b, []byte(`\n`)), bytes.HasPrefix(b, []byte(`\r`)):
		b = b[2:]
	default:
		return false
	}
	if len(b) > 512 {
		b = b[:512]
	}
	run := 0
	for _, c := range b {
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=' {
			if run++; run >= 40 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}
