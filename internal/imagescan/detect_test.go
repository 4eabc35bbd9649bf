package imagescan

import (
	"strings"
	"testing"
)

func TestNameKind(t *testing.T) {
	for _, c := range []struct {
		path         string
		kind         string
		needsContent bool
	}{
		{"/app/.env", KindDotenv, false},
		{"/app/.env.production", KindDotenv, false},
		{"/app/.env.local", KindDotenv, false},
		{"/app/.env-staging", KindDotenv, false},
		{"/app/.env_prod", KindDotenv, false},
		{"/home/dev/.envrc", KindDotenv, false},
		{"/app/.env.example", "", false},
		{"/app/.env.sample", "", false},
		{"/app/.env.template", "", false},
		{"/app/.env.local.example", "", false},
		{"/app/.env-dist", "", false},
		{"/app/.ENV.EXAMPLE", "", false},
		{"/app/.environment", "", false},
		{"/etc/envoy/.envoy.yaml", "", false},
		{"/app/env", "", false},
		{"/root/.npmrc", KindNpmrc, true},
		{"/usr/local/etc/npmrc", KindNpmrc, true},
		{"/root/.pypirc", KindPypirc, true},
		{"/root/.netrc", KindNetrc, true},
		{"/root/.aws/credentials", KindAWSCredentials, true},
		{"/root/credentials", "", false},
		{"/root/.docker/config.json", KindDockerConfig, true},
		{"/kaniko/.docker/config.json", KindDockerConfig, true},
		{"/app/config.json", "", false},
		{"/root/.dockercfg", KindDockerConfig, true},
		{"/root/.git-credentials", KindGitCredentials, true},
		{"/root/.ssh/id_rsa", "", false}, // by content only
	} {
		kind, needs := nameKind(c.path)
		if kind != c.kind || needs != c.needsContent {
			t.Errorf("nameKind(%q) = %q, %v; want %q, %v", c.path, kind, needs, c.kind, c.needsContent)
		}
	}
}

func TestContentHolds(t *testing.T) {
	for _, c := range []struct {
		kind, content string
		want          bool
	}{
		{KindNpmrc, "registry=https://registry.npmjs.org/\n", false},
		{KindNpmrc, "//registry.npmjs.org/:_authToken=npm_abcdef\n", true},
		{KindNpmrc, "//registry.npmjs.org/:_authToken = npm_abcdef\n", true},
		{KindNpmrc, "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", false},
		{KindNpmrc, "//registry.npmjs.org/:_authToken=\n", false},
		{KindNpmrc, "_auth=dXNlcjpwYXNz\n", true},
		{KindNpmrc, "//npm.example.com/:_password=cGFzcw==\n", true},
		{KindNpmrc, "# _authToken=npm_abcdef\n", false},
		{KindPypirc, "[pypi]\nusername = __token__\npassword = pypi-abc\n", true},
		{KindPypirc, "[pypi]\npassword: pypi-abc\n", true},
		{KindPypirc, "[pypi]\nusername = __token__\n", false},
		{KindNetrc, "machine h login u password p\n", true},
		{KindNetrc, "machine h\n  login u\n  password p\n", true},
		{KindNetrc, "machine h login u\n", false},
		{KindNetrc, "default login anonymous password", false}, // "password" with nothing after it
		{KindAWSCredentials, "[default]\naws_access_key_id=AKIA\naws_secret_access_key=abc\n", true},
		{KindAWSCredentials, "[p]\naws_session_token = xyz\n", true},
		{KindAWSCredentials, "[p]\ncredential_process = /usr/bin/helper\n", false},
		{KindDockerConfig, `{"auths":{"r.example.com":{"auth":"dTpw"}}}`, true},
		{KindDockerConfig, `{"auths":{"r.example.com":{"identitytoken":"tok"}}}`, true},
		{KindDockerConfig, `{"auths":{"r.example.com":{}},"credsStore":"desktop"}`, false},
		{KindDockerConfig, `{"credHelpers":{"gcr.io":"gcloud"}}`, false},
		{KindDockerConfig, `{"r.example.com":{"auth":"dTpw","email":"a@b"}}`, true}, // .dockercfg
		{KindDockerConfig, `{"auths":{"r.example.com":{"auth":"dTpw"}`, true},       // cut short
		{KindDockerConfig, `{"auths":{"r.example.com":{"auth":""}, "x": {`, false},  // cut short, empty
		{KindGitCredentials, "https://user:ghp_token@github.com\n", true},
		{KindGitCredentials, "https://github.com\n", false},
	} {
		if got := contentHolds(c.kind, []byte(c.content)); got != c.want {
			t.Errorf("contentHolds(%s, %q) = %v, want %v", c.kind, c.content, got, c.want)
		}
	}
}

func TestHasPrivateKey(t *testing.T) {
	key := privateKeyPEM(t)
	body := strings.Join(strings.Split(key, "\n")[1:3], "\n")
	for _, c := range []struct {
		name, content string
		want          bool
	}{
		{"PKCS#8", key, true},
		{"after text", "config:\n" + key, true},
		{"RSA label", "-----BEGIN RSA PRIVATE KEY-----\n" + body + "\n-----END RSA PRIVATE KEY-----\n", true},
		{"OpenSSH", "-----BEGIN OPENSSH PRIVATE KEY-----\r\n" + body + "\r\n", true},
		{"encrypted legacy PEM", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF\n\n" + body + "\n", true},
		{"JSON service account", `{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\n` + strings.ReplaceAll(body, "\n", `\n`) + `"}`, true},
		{"PuTTY", "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n", true},
		{"certificate", "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n", false},
		{"format string", `fmt.Sprintf("-----BEGIN %s PRIVATE KEY-----", kind)`, false},
		{"string literal", `header := "-----BEGIN RSA PRIVATE KEY-----"`, false},
		{"documentation", "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----\n", false},
		{"lower-case label", "-----BEGIN rsa PRIVATE KEY-----\n" + body, false},
	} {
		if got := hasPrivateKey([]byte(c.content)); got != c.want {
			t.Errorf("hasPrivateKey(%s: %q) = %v, want %v", c.name, c.content, got, c.want)
		}
	}
}

func TestShellRelevant(t *testing.T) {
	for _, c := range []struct {
		path string
		want bool
	}{
		{"/bin", true}, {"/usr/bin", true}, {"/usr/local", true}, {"/bin/sh", true},
		{"/usr/bin/dash", true}, {"/usr/local/bin", true}, {"/etc/alternatives/sh", true},
		{"/busybox/sh", true}, {"/opt/tools/libexec/bash", true},
		{"/usr/lib/x86_64-linux-gnu/libc.so.6", false}, {"/usr/share/doc/README", false},
	} {
		if got := shellRelevant(c.path); got != c.want {
			t.Errorf("shellRelevant(%q) = %v, want %v", c.path, got, c.want)
		}
	}
}

func TestResolve(t *testing.T) {
	f := newFinalFS()
	f.symlinks = map[string]string{
		"/bin": "usr/bin", "/usr/bin/sh": "dash", "/lib": "/usr/lib", "/a": "b", "/b": "a",
		"/usr/bin/up": "../../../../etc/x",
	}
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"/bin/sh", "/usr/bin/dash", true},
		{"/bin/bash", "/usr/bin/bash", true},
		{"/lib/x", "/usr/lib/x", true},
		{"/bin/up", "/etc/x", true},
		{"/a", "", false},
		{"/etc/passwd", "/etc/passwd", true},
	} {
		got, ok := f.resolve(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("resolve(%q) with %v = %q, %v; want %q, %v", c.in, f.symlinks, got, ok, c.want, c.ok)
		}
	}
}
