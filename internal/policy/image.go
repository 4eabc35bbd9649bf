package policy

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The image rules of RULES.md: the same checklist keys, checked on what was
// built (Input.Image) rather than on the Dockerfile. Every platform of an
// index is checked; a finding's File is the image reference, its Line 0, its
// Stage the platform, and its message starts with the platform.

var ruleImageUserRoot = &rule{
	id: "image-user-root", key: keyNonRootUser, sev: High, aliases: []string{"CIS-DI-0001"}, scope: ScopeImage,
	summary: "`config.User` is empty, `root`, `0`, `root:*`, `0:*`, or a name that the image's /etc/passwd maps to UID 0. A numeric non-zero UID, or a name /etc/passwd maps to a non-zero UID, passes.",
	bad:     `"User": ""`, good: `"User": "10001:10001"`,
	fix: "Set a non-root numeric user in the final stage (`USER 10001:10001`) and rebuild; for an image you do not build, run it with `securityContext.runAsUser` and `runAsNonRoot: true`.",
}

func checkImageUserRoot(c *ctx) {
	for _, p := range c.platforms() {
		if why := imageRootUser(p.User, p.Passwd); why != "" {
			c.reportImage(ruleImageUserRoot, p, why)
		}
	}
}

// imageRootUser says why config.User runs as root, "" when it does not.
func imageRootUser(user string, passwd []byte) string {
	u := strings.TrimSpace(user)
	name := userPart(u)
	switch {
	case u == "":
		return "config.User is empty: the container runs as root"
	case isRootUser(u):
		return fmt.Sprintf("config.User is %q: the container runs as root", u)
	case isNumeric(name):
		return ""
	}
	if uid, ok := passwdUID(passwd, name); ok && uid == 0 {
		return fmt.Sprintf("config.User is %q, which the image's /etc/passwd maps to UID 0: the container runs as root", u)
	}
	return ""
}

// passwdUID looks a user name up in /etc/passwd as getpwnam does: the first
// entry with that name wins.
func passwdUID(passwd []byte, name string) (int, bool) {
	for line := range bytes.Lines(passwd) {
		fields := strings.Split(strings.TrimRight(string(line), "\r\n"), ":")
		if len(fields) < 3 || fields[0] != name {
			continue
		}
		uid, err := strconv.Atoi(strings.TrimSpace(fields[2]))
		return uid, err == nil
	}
	return 0, false
}

var ruleImageSetuid = &rule{
	id: "image-setuid", key: keyNonRootUser, sev: Low, aliases: []string{"CIS-DI-0008"}, scope: ScopeImage,
	summary: "Setuid/setgid files in the final filesystem: a way back to root for a process that gets a shell.",
	bad:     "-rwsr-xr-x /usr/bin/passwd", good: "-rwxr-xr-x /usr/bin/passwd",
	fix: "Strip the bits in the final stage (`RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +`) or use a minimal base (distroless, scratch); run with `allowPrivilegeEscalation: false`.",
}

func checkImageSetuid(c *ctx) {
	for _, p := range c.platforms() {
		if len(p.SetuidFiles) == 0 {
			continue
		}
		files := slices.Sorted(slices.Values(p.SetuidFiles))
		c.reportImage(ruleImageSetuid, p, fmt.Sprintf("%d setuid/setgid %s in the final filesystem: %s",
			len(files), plural(len(files), "file", "files"), listSome(files, 5)))
	}
}

var ruleImageHealthcheck = &rule{
	id: "image-healthcheck", key: keyHealthcheck, sev: Medium, aliases: []string{"CIS-DI-0006"}, scope: ScopeImage,
	summary: "`config.Healthcheck` is missing: `low` for images without a shell, where orchestrator probes are the usual answer; `[\"NONE\"]` is an explicit opt-out and passes. `high` for a `CMD-SHELL` check in an image without a shell, which always fails.",
	bad:     `"Healthcheck": null`, good: `"Healthcheck": {"Test": ["CMD", "/server", "-healthcheck"]}`,
	fix: "Add a HEALTHCHECK to the final stage that probes the app with what the image has (`HEALTHCHECK CMD [\"/server\", \"-healthcheck\"]`), or `HEALTHCHECK NONE` when Kubernetes probes cover it.",
}

func checkImageHealthcheck(c *ctx) {
	for _, p := range c.platforms() {
		hc := p.Healthcheck
		switch {
		case len(hc) == 0:
			h := c.reportImage(ruleImageHealthcheck, p, "the image config has no healthcheck")
			if !p.HasShell {
				h.sev = Low
				h.msg += "; the image has no shell, so Kubernetes probes or a probe built into the binary are the usual answer"
			}
		case strings.EqualFold(hc[0], "NONE"):
		case hc[0] == "CMD-SHELL" && !p.HasShell:
			h := c.reportImage(ruleImageHealthcheck, p, "the healthcheck runs through /bin/sh (CMD-SHELL) but the image has no shell: it always fails and the container is marked unhealthy")
			h.sev = High
		}
	}
}

var ruleImageShellEntrypoint = &rule{
	id: "image-shell-entrypoint", key: keySignalHandling, sev: High, scope: ScopeImage,
	summary: "The container's command (Entrypoint then Cmd, after an init such as tini) is `sh -c` (`/bin/sh`, `bash`, `ash`, `dash`, …) with a script that does not start with `exec`: the shell is PID 1 and does not forward SIGTERM.",
	bad:     `"Cmd": ["/bin/sh", "-c", "node server.js"]`, good: `"Cmd": ["node", "server.js"]`,
	fix: "Use the exec form (`CMD [\"node\", \"server.js\"]`) or start the script with `exec` so the app replaces the shell as PID 1.",
}

func checkImageShellEntrypoint(c *ctx) {
	for _, p := range c.platforms() {
		argv := append(slices.Clone(p.Entrypoint), p.Cmd...)
		if len(argv) > 0 && initNames[path.Base(argv[0])] {
			argv = stripInitArgs(argv[1:])
		}
		shell, script, ok := shellScript(argv)
		if !ok || startsWithExec(script) {
			continue
		}
		c.reportImage(ruleImageShellEntrypoint, p, fmt.Sprintf("the container runs %s -c %q: the shell is PID 1 and does not forward SIGTERM to the app",
			shell, clip(redactText(script), 60)))
	}
}

// shellScript recognises `sh -c SCRIPT` (any shell, options before -c).
func shellScript(argv []string) (shell, script string, ok bool) {
	if len(argv) < 3 || !shellNames[path.Base(argv[0])] {
		return "", "", false
	}
	for i := 1; i < len(argv)-1; i++ {
		a := argv[i]
		switch {
		case a == "-o" || a == "+o":
			i++
		case len(a) < 2 || a[0] != '-' || a[1] == '-':
			// A script file or a long option: not -c.
			return "", "", false
		case strings.Contains(a, "c"):
			return argv[0], argv[i+1], true
		}
	}
	return "", "", false
}

var ruleImageLabels = &rule{
	id: "image-labels", key: keyOCILabels, sev: Medium, scope: ScopeImage,
	summary: "A required label (`required_labels`, default `org.opencontainers.image.source`) is missing or empty in `config.Labels`; labels given to the policy do not count, the image is the truth.",
	bad:     `"Labels": {}`, good: `"Labels": {"org.opencontainers.image.source": "https://github.com/acme/api"}`,
	fix: "Add the labels in the final stage (`LABEL org.opencontainers.image.source=https://github.com/acme/api`) or with `labels` on prodimage_build, and rebuild.",
}

func checkImageLabels(c *ctx) {
	for _, p := range c.platforms() {
		var missing []string
		for _, l := range c.in.RequiredLabels {
			if strings.TrimSpace(p.Labels[l]) == "" {
				missing = append(missing, l)
			}
		}
		if len(missing) > 0 {
			c.reportImage(ruleImageLabels, p, fmt.Sprintf("config.Labels lacks %s", strings.Join(missing, ", ")))
		}
	}
}

var ruleImageSize = &rule{
	id: "image-size", key: keyMinimalRuntime, sev: Medium, scope: ScopeImage,
	summary: "The compressed size (config and layers: what a node pulls) is over `max_image_size_mb`, in MB of 1,000,000 bytes. Runs only when `max_image_size_mb` is set.",
	bad:     "max_image_size_mb = 200\ncompressed size 1.23 GB (node:20 base, build tools)", good: "max_image_size_mb = 200\ncompressed size 45.2 MB (node:20-alpine base, dist/ only)",
	fix: "Shrink the runtime image: copy only the built artifacts from a build stage, use a slim or distroless base, leave package caches and build tools out; or raise max_image_size_mb.",
}

func checkImageSize(c *ctx) {
	if c.in.MaxImageSizeMB <= 0 {
		return
	}
	limit := int64(c.in.MaxImageSizeMB) * 1_000_000
	for _, p := range c.platforms() {
		if p.CompressedSize > limit {
			c.reportImage(ruleImageSize, p, fmt.Sprintf("the compressed size is %s (%s bytes), over the limit of %d MB (%s bytes)",
				decimalSize(p.CompressedSize), groupDigits(p.CompressedSize), c.in.MaxImageSizeMB, groupDigits(limit)))
		}
	}
}

// decimalSize formats bytes in decimal units, as registries show them.
func decimalSize(n int64) string {
	switch {
	case n >= 1_000_000_000:
		return fmt.Sprintf("%.2f GB", float64(n)/1e9)
	case n >= 1_000_000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1_000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

var ruleImageLatestBase = &rule{
	id: "image-latest-base", key: keyPinnedBaseImages, sev: Medium, scope: ScopeImage,
	summary: "The base recorded in the `org.opencontainers.image.base.name` label is a tag (or no tag, i.e. `:latest`) without an `@sha256:` digest: the next build may start from a different image. Images without the label pass.",
	bad:     `"org.opencontainers.image.base.name": "docker.io/library/node:20"`, good: `"org.opencontainers.image.base.name": "docker.io/library/node:20@sha256:…"`,
	fix: "Pin the base by digest in the Dockerfile (`FROM node:20-alpine@sha256:…`) and rebuild, so what was tested is what is rebuilt.",
}

const baseNameLabel = "org.opencontainers.image.base.name"

var digestRe = regexp.MustCompile(`@[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$`)

func checkImageLatestBase(c *ctx) {
	for _, p := range c.platforms() {
		base := strings.TrimSpace(p.Labels[baseNameLabel])
		if base == "" || digestRe.MatchString(base) {
			continue
		}
		what := "a tag without a digest"
		last := base[strings.LastIndex(base, "/")+1:]
		if _, tag, ok := strings.Cut(last, ":"); !ok {
			what = "no tag (`:latest`) and no digest"
		} else if tag == "latest" {
			what = "`:latest` without a digest"
		}
		c.reportImage(ruleImageLatestBase, p, fmt.Sprintf("the base image recorded in %s, %s, has %s: a rebuild may start from a different image", baseNameLabel, base, what))
	}
}

// Helpers shared by the image rules.

// imageFile is the File of image findings.
func (c *ctx) imageFile() string {
	if c.in.Image == nil || c.in.Image.Ref == "" {
		return "image"
	}
	return c.in.Image.Ref
}

// platforms is every platform image of the input, none without an image.
func (c *ctx) platforms() []*PlatformImage {
	if c.in.Image == nil {
		return nil
	}
	out := make([]*PlatformImage, len(c.in.Image.Platforms))
	for i := range c.in.Image.Platforms {
		out[i] = &c.in.Image.Platforms[i]
	}
	return out
}

// reportImage records a finding about one platform's image. The message
// starts with the platform (or, without one, the manifest digest).
func (c *ctx) reportImage(r *rule, p *PlatformImage, msg string) *hit {
	prefix := p.Platform
	if prefix == "" && p.Digest != "" {
		prefix = shortDigest(p.Digest)
	}
	if prefix != "" {
		msg = prefix + ": " + msg
	}
	h := &hit{rule: r, sev: r.sev, msg: msg, fix: r.fix, file: c.imageFile(), stage: p.Platform}
	c.found = append(c.found, h)
	return h
}

func shortDigest(d string) string {
	if alg, hex, ok := strings.Cut(d, ":"); ok && len(hex) > 12 {
		return alg + ":" + hex[:12]
	}
	return d
}

// listSome joins up to n items and says how many more there are.
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// clip shortens s to about n runes, on one line, at a word when one ends
// near the cut.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n-1])
	if i := strings.LastIndexByte(cut, ' '); i >= len(cut)-20 && i > 0 {
		cut = cut[:i+1]
	}
	return cut + "…"
}

func init() {
	ruleImageUserRoot.check = checkImageUserRoot
	ruleImageSetuid.check = checkImageSetuid
	ruleImageHealthcheck.check = checkImageHealthcheck
	ruleImageShellEntrypoint.check = checkImageShellEntrypoint
	ruleImageLabels.check = checkImageLabels
	ruleImageSize.check = checkImageSize
	ruleImageLatestBase.check = checkImageLatestBase
	register(ruleImageUserRoot, ruleImageSetuid, ruleImageHealthcheck, ruleImageShellEntrypoint, ruleImageLabels,
		ruleImageSize, ruleImageLatestBase)
}
