package policy

// The image rules of RULES.md are part of the catalog (IDs and aliases are
// accepted everywhere) and are evaluated once Input.Image is supplied.
var imageRules = []*rule{
	{id: "image-user-root", key: keyNonRootUser, sev: High, aliases: []string{"CIS-DI-0001"}, scope: ScopeImage,
		summary: "`config.User` is empty, root, 0, root:*, 0:*, or a name that /etc/passwd in the image maps to UID 0.",
		bad:     `"User": ""`, good: `"User": "10001:10001"`},
	{id: "image-setuid", key: keyNonRootUser, sev: Low, aliases: []string{"CIS-DI-0008"}, scope: ScopeImage,
		summary: "setuid/setgid files in the final filesystem.",
		bad:     "-rwsr-xr-x /usr/bin/passwd", good: "-rwxr-xr-x /usr/bin/passwd"},
	{id: "image-healthcheck", key: keyHealthcheck, sev: Medium, aliases: []string{"CIS-DI-0006"}, scope: ScopeImage,
		summary: "`config.Healthcheck` is missing (low for images without a shell).",
		bad:     `"Healthcheck": null`, good: `"Healthcheck": {"Test": ["CMD", "/server", "-healthcheck"]}`},
	{id: "image-shell-entrypoint", key: keySignalHandling, sev: High, scope: ScopeImage,
		summary: "Entrypoint/Cmd starts `/bin/sh -c` without `exec`.",
		bad:     `"Cmd": ["/bin/sh", "-c", "node server.js"]`, good: `"Cmd": ["node", "server.js"]`},
	{id: "image-labels", key: keyOCILabels, sev: Medium, scope: ScopeImage,
		summary: "Required labels are missing from `config.Labels`.",
		bad:     `"Labels": {}`, good: `"Labels": {"org.opencontainers.image.source": "https://github.com/acme/api"}`},
	{id: "image-secret-env", key: keyNoSecrets, sev: Critical, aliases: []string{"CIS-DI-0010"}, scope: ScopeImage,
		summary: "Secret-like names or credential-shaped values in `config.Env` (masked).",
		bad:     `"Env": ["API_TOKEN=****"]`, good: `"Env": ["PORT=3000"]`},
	{id: "image-secret-history", key: keyNoSecrets, sev: Critical, aliases: []string{"CIS-DI-0010"}, scope: ScopeImage,
		summary: "History `created_by` holding `KEY=VALUE` build args with secret-like names (masked).",
		bad:     `"created_by": "RUN |1 NPM_TOKEN=**** npm ci"`, good: `"created_by": "RUN npm ci # buildkit"`},
	{id: "image-secret-file", key: keyNoSecrets, sev: Critical, aliases: []string{"CIS-DI-0010", "DKL-LI-0003"}, scope: ScopeImage,
		summary: "A secret file in any layer, including one deleted by a later layer: .env*, private keys (by content), .npmrc/.pypirc/.netrc with credentials, .aws/credentials, .docker/config.json, .git/.",
		bad:     "layer 3: /app/.env", good: "no layer holds .env"},
	{id: "image-size", key: keyMinimalRuntime, sev: Medium, scope: ScopeImage,
		summary: "Compressed size over `max_image_size_mb`.",
		bad:     "compressed 1.2 GB (limit 200 MB)", good: "compressed 45 MB (limit 200 MB)"},
	{id: "image-latest-base", key: keyPinnedBaseImages, sev: Medium, scope: ScopeImage,
		summary: "The base recorded in `org.opencontainers.image.base.name` is a tag without digest.",
		bad:     `"org.opencontainers.image.base.name": "docker.io/library/node:20"`, good: `"org.opencontainers.image.base.name": "docker.io/library/node:20@sha256:…"`},
}

func init() { register(imageRules...) }
