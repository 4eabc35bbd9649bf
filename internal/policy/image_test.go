package policy

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

const (
	testImageRef = "registry.example.com/acme/api:1.4.2"
	testDigest   = "sha256:3f4a0c1e2d9b8a7f6e5d4c3b2a19087f6e5d4c3b2a19087f6e5d4c3b2a190870"
	nodeBase     = "docker.io/library/node:20-alpine@sha256:c13b26e7e602ef2f1074aef304ce6e9b7dd284c419b35d89fcf3cc8e44a8def9"
	alpinePasswd = "root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\nnode:x:1000:1000::/home/node:/bin/sh\n"
)

// goodImage is a production image every image rule passes: each table row
// changes one thing.
func goodImage() PlatformImage {
	return PlatformImage{
		Platform: "linux/amd64",
		Digest:   testDigest,
		User:     "10001:10001",
		Env:      []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NODE_VERSION=20.18.0", "NODE_ENV=production"},
		Labels: map[string]string{
			"org.opencontainers.image.source":    "https://github.com/acme/api",
			"org.opencontainers.image.base.name": nodeBase,
		},
		Entrypoint:  []string{"/sbin/tini", "--"},
		Cmd:         []string{"node", "dist/server.js"},
		Healthcheck: []string{"CMD", "node", "dist/healthcheck.js"},
		History: []string{
			"ADD alpine-minirootfs-3.20.3-x86_64.tar.gz / # buildkit",
			`CMD ["/bin/sh"]`,
			"ENV NODE_VERSION=20.18.0",
			"RUN /bin/sh -c addgroup -g 1000 node && adduser -u 1000 -G node -s /bin/sh -D node # buildkit",
			"WORKDIR /app",
			"RUN |1 NODE_ENV=production /bin/sh -c apk add --no-cache tini # buildkit",
			"COPY /app/dist ./dist # buildkit",
			"USER 10001:10001",
		},
		CompressedSize: 48_213_554,
		Passwd:         []byte(alpinePasswd),
		HasShell:       true,
	}
}

// img is a table row on a one-platform image: goodImage changed by change.
func img(fire bool, change func(*PlatformImage)) tc {
	return imgs(fire, change)
}

// imgs is a table row on an image with one platform per change.
func imgs(fire bool, changes ...func(*PlatformImage)) tc {
	platforms := []string{"linux/amd64", "linux/arm64", "linux/arm/v7"}
	return tc{fire: fire, mod: func(in *Input) {
		in.Image = &ImageFacts{Ref: testImageRef}
		for i, change := range changes {
			p := goodImage()
			p.Platform = platforms[i]
			if change != nil {
				change(&p)
			}
			in.Image.Platforms = append(in.Image.Platforms, p)
		}
	}}
}

// and adds a change of the input to a row.
func (c tc) and(mod func(*Input)) tc {
	prev := c.mod
	c.mod = func(in *Input) {
		if prev != nil {
			prev(in)
		}
		mod(in)
	}
	return c
}

func user(u string) func(*PlatformImage) { return func(p *PlatformImage) { p.User = u } }
func cmd(entrypoint, cmd []string) func(*PlatformImage) {
	return func(p *PlatformImage) { p.Entrypoint, p.Cmd = entrypoint, cmd }
}
func env(kv ...string) func(*PlatformImage) {
	return func(p *PlatformImage) { p.Env = append(p.Env, kv...) }
}
func history(entries ...string) func(*PlatformImage) {
	return func(p *PlatformImage) { p.History = append(p.History, entries...) }
}
func healthcheck(hc []string, shell bool) func(*PlatformImage) {
	return func(p *PlatformImage) { p.Healthcheck, p.HasShell = hc, shell }
}
func label(k, v string) func(*PlatformImage) {
	return func(p *PlatformImage) { p.Labels[k] = v }
}
func secretFiles(fs ...ImageSecretFile) func(*PlatformImage) {
	return func(p *PlatformImage) { p.SecretFiles = fs }
}
func ignoring(ids ...string) func(*Input) { return func(in *Input) { in.Ignore = ids } }
func sizeLimit(mb int) func(*Input)       { return func(in *Input) { in.MaxImageSizeMB = mb } }

var imageTables = addTables(map[string][]tc{
	"image-user-root": {
		img(true, user("")),
		img(true, user("root")),
		img(true, user("0")),
		img(true, user("0:0")),
		img(true, user("root:app")),
		img(true, func(p *PlatformImage) {
			p.User = "admin"
			p.Passwd = []byte(alpinePasswd + "admin:x:0:0::/root:/bin/sh\n")
		}),
		img(true, func(p *PlatformImage) {
			p.User = "toor:10001"
			p.Passwd = []byte("toor:x:0:0::/root:/bin/sh\ntoor:x:1000:1000::/:/bin/sh\n")
		}),
		imgs(true, nil, user("")), // one platform of two
		img(false, nil),
		img(false, user("10001")),
		img(false, user("node")),
		img(false, user("node:node")),
		img(false, user("1000:0")),
		img(false, func(p *PlatformImage) { p.User = "app"; p.Passwd = nil }),
		img(false, user("")).and(ignoring("CIS-DI-0001")),
	},
	"image-setuid": {
		img(true, func(p *PlatformImage) { p.SetuidFiles = []string{"/bin/su"} }),
		img(true, func(p *PlatformImage) {
			p.SetuidFiles = []string{"/usr/bin/passwd", "/usr/bin/chsh", "/usr/bin/gpasswd", "/usr/bin/newgrp", "/usr/bin/su", "/usr/bin/mount", "/usr/bin/chfn"}
		}),
		imgs(true, nil, func(p *PlatformImage) { p.SetuidFiles = []string{"/usr/bin/sudo"} }),
		img(false, nil),
		img(false, func(p *PlatformImage) { p.SetuidFiles = []string{} }),
		img(false, func(p *PlatformImage) { p.SetuidFiles = []string{"/bin/su"} }).and(ignoring("CIS-DI-0008")),
	},
	"image-healthcheck": {
		img(true, healthcheck(nil, true)),
		img(true, healthcheck(nil, false)),
		img(true, healthcheck([]string{}, true)),
		img(true, healthcheck([]string{"CMD-SHELL", "wget -q --spider http://127.0.0.1:3000/health || exit 1"}, false)),
		img(false, nil),
		img(false, healthcheck([]string{"NONE"}, true)),
		img(false, healthcheck([]string{"none"}, false)),
		img(false, healthcheck([]string{"CMD", "/server", "-healthcheck"}, false)),
		img(false, healthcheck([]string{"CMD-SHELL", "wget -q --spider http://127.0.0.1:3000/health || exit 1"}, true)),
	},
	"image-shell-entrypoint": {
		img(true, cmd(nil, []string{"/bin/sh", "-c", "node dist/server.js"})),
		img(true, cmd([]string{"sh", "-c"}, []string{"npm start"})),
		img(true, cmd([]string{"/sbin/tini", "--", "/bin/bash", "-c"}, []string{"python -m app"})),
		img(true, cmd([]string{"/bin/sh", "-ec", "migrate && node server.js"}, nil)),
		img(true, cmd([]string{"/bin/sh", "-o", "pipefail", "-c", "node server.js | tee /tmp/log"}, nil)),
		img(false, nil),
		img(false, cmd(nil, []string{"/bin/sh", "-c", "exec node dist/server.js"})),
		img(false, cmd([]string{"/bin/sh", "/docker-entrypoint.sh"}, []string{"nginx", "-g", "daemon off;"})),
		img(false, cmd([]string{"/server"}, []string{"-c", "/etc/server.yaml"})),
		img(false, cmd(nil, nil)),
	},
	"image-labels": {
		img(true, func(p *PlatformImage) { p.Labels = nil }),
		img(true, label("org.opencontainers.image.source", " ")),
		img(true, nil).and(func(in *Input) {
			in.RequiredLabels = []string{"org.opencontainers.image.source", "org.opencontainers.image.revision"}
		}),
		// The policy's labels describe a build, not this image.
		img(true, func(p *PlatformImage) { delete(p.Labels, "org.opencontainers.image.source") }).and(func(in *Input) {
			in.Labels = map[string]string{"org.opencontainers.image.source": "https://github.com/acme/api"}
		}),
		img(false, nil),
		img(false, func(p *PlatformImage) { p.Labels = nil }).and(func(in *Input) { in.RequiredLabels = []string{} }),
		img(false, label("org.opencontainers.image.revision", "4f1c2a9")).and(func(in *Input) {
			in.RequiredLabels = []string{"org.opencontainers.image.source", "org.opencontainers.image.revision"}
		}),
	},
	"image-secret-env": {
		img(true, env("API_TOKEN=tok-3b1f9c")),
		img(true, env("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")),
		img(true, env("GIT_REMOTE=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB")),
		img(true, env("DATABASE_URL=postgres://app:hunter2@db.internal:5432/app")),
		img(true, env("dbPassword=hunter2")),
		img(false, nil),
		img(false, env("NPM_TOKEN=")),
		img(false, env("PASSWORD_FILE=/run/secrets/db_password")),
		img(false, env("GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305")),
		img(false, env("DATABASE_URL=postgres://db.internal:5432/app")),
		img(false, env("STRIPE_PUBLIC_KEY=pk_live_51H")),
	},
	"image-secret-history": {
		img(true, history("RUN |2 NPM_TOKEN=npm_0123456789abcdefghijklmnopqrstuvwxyz NODE_ENV=production /bin/sh -c npm ci # buildkit")),
		img(true, history("|1 GITHUB_TOKEN=s3cr3t-t0k3n /bin/sh -c make release")),
		img(true, history("ARG DB_PASSWORD=hunter2")),
		img(true, history("/bin/sh -c #(nop)  ENV API_KEY=k-2c9d1e")),
		img(true, history("RUN /bin/sh -c git clone https://deploy:s3cret@git.example.com/acme/lib.git # buildkit")),
		img(true, history(`RUN /bin/sh -c curl -fsS -H "Authorization: Bearer eyJhbGciOi" https://api.example.com # buildkit`)),
		img(true, history("RUN /bin/sh -c aws configure set aws_secret_access_key wJalrXUtnFEMI # buildkit")),
		img(true, history("RUN /bin/sh -c PGPASSWORD=hunter2 psql -h db -f /schema.sql # buildkit")),
		img(true, history("RUN /bin/sh -c curl -fsSLo /tmp/a.tgz -u deploy:s3cr3t https://dl.example.com/a.tgz # buildkit")),
		img(false, nil),
		img(false, history("RUN /bin/sh -c SECRET_KEY_BASE=dummy bundle exec rails assets:precompile # buildkit")),
		img(false, history(`RUN /bin/sh -c export NPM_TOKEN="$(cat /run/secrets/npm)" && npm ci # buildkit`)),
		img(false, history("RUN /bin/sh -c adduser -u 10001:10001 app && useradd --user 1:1 x # buildkit")),
		img(false, history("ARG NPM_TOKEN", "RUN |1 NPM_TOKEN= /bin/sh -c npm ci # buildkit")),
		img(false, history(`RUN /bin/sh -c echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci # buildkit`)),
		img(false, history("RUN /bin/sh -c git clone https://$GIT_USER:$GIT_TOKEN@git.example.com/acme/lib.git # buildkit")),
		img(false, history("RUN |1 PASSWORD_FILE=/run/secrets/pw /bin/sh -c ./setup.sh # buildkit")),
		// Still in the config: image-secret-env reports it, once.
		img(false, func(p *PlatformImage) {
			p.Env = append(p.Env, "API_KEY=k-2c9d1e")
			p.History = append(p.History, "ENV API_KEY=k-2c9d1e")
		}),
	},
	"image-secret-file": {
		img(true, secretFiles(ImageSecretFile{Path: "/app/.env", Layer: 2, Kind: "dotenv", Deleted: true, CreatedBy: "COPY . /app # buildkit"})),
		img(true, secretFiles(ImageSecretFile{Path: "/root/.ssh/id_ed25519", Layer: 4, Kind: "private-key", CreatedBy: "COPY id_ed25519 /root/.ssh/ # buildkit"})),
		img(true, secretFiles(ImageSecretFile{Path: "/app/.git", Layer: 3, Kind: "git", CreatedBy: "COPY . . # buildkit"})),
		imgs(true, nil, secretFiles(ImageSecretFile{Path: "/root/.npmrc", Layer: 5, Kind: "npmrc"})),
		img(false, nil),
		img(false, secretFiles()),
		img(false, secretFiles(ImageSecretFile{Path: "/app/.env", Layer: 2, Kind: "dotenv"})).and(ignoring("DKL-LI-0003")),
	},
	"image-size": {
		img(true, func(p *PlatformImage) { p.CompressedSize = 1_234_567_890 }).and(sizeLimit(200)),
		img(true, func(p *PlatformImage) { p.CompressedSize = 200_000_001 }).and(sizeLimit(200)),
		imgs(true, nil, func(p *PlatformImage) { p.CompressedSize = 60_000_000 }).and(sizeLimit(50)),
		img(false, func(p *PlatformImage) { p.CompressedSize = 9_000_000_000 }),
		img(false, func(p *PlatformImage) { p.CompressedSize = 200_000_000 }).and(sizeLimit(200)),
		img(false, nil).and(sizeLimit(200)),
	},
	"image-latest-base": {
		img(true, label(baseNameLabel, "docker.io/library/node:20-alpine")),
		img(true, label(baseNameLabel, "node")),
		img(true, label(baseNameLabel, "localhost:5000/base")),
		img(true, label(baseNameLabel, "ghcr.io/acme/base:latest")),
		img(true, label(baseNameLabel, "ghcr.io/acme/base:1@sha256:c13b26")),
		img(false, nil),
		img(false, func(p *PlatformImage) { p.Labels = map[string]string{} }),
		img(false, label(baseNameLabel, "localhost:5000/base@sha256:c13b26e7e602ef2f1074aef304ce6e9b7dd284c419b35d89fcf3cc8e44a8def9")),
		img(false, label(baseNameLabel, "")),
	},
})

func TestImageRules(t *testing.T) {
	for id, cases := range imageTables {
		t.Run(id, func(t *testing.T) {
			for _, c := range cases {
				r := evalCase(t, c)
				if got := hasActive(r, id); got != c.fire {
					in := Input{}
					c.mod(&in)
					var seen []string
					for _, f := range r.Active() {
						seen = append(seen, f.Rule+": "+f.Message)
					}
					t.Errorf("%s fired=%v, want %v on %+v\nactive findings: %q", id, got, c.fire, in.Image.Platforms, seen)
				}
			}
		})
	}
}

// Every image finding names the image, its platform, and no line.
func TestImageFindingsNamePlatform(t *testing.T) {
	r := evalCase(t, imgs(true, user(""), user("root"), nil))
	fs := findingsOf(r, "image-user-root")
	if len(fs) != 2 {
		t.Fatalf("image-user-root = %+v, want one per root platform", fs)
	}
	for i, want := range []string{"linux/amd64", "linux/arm64"} {
		f := fs[i]
		if f.File != testImageRef || f.Line != 0 || f.Stage != want || !strings.HasPrefix(f.Message, want+": ") || f.Fix == "" || f.Checklist != "non_root_user" {
			t.Errorf("finding %d = %+v, want File %s, Stage and message prefix %s", i, f, testImageRef, want)
		}
	}
	// Without a platform, the digest stands in.
	r = evalCase(t, img(true, func(p *PlatformImage) { p.Platform = ""; p.User = "" }))
	if fs := findingsOf(r, "image-user-root"); len(fs) != 1 || !strings.HasPrefix(fs[0].Message, "sha256:3f4a0c1e2d9b: ") {
		t.Errorf("no platform: %+v", fs)
	}
}

func TestImageMessages(t *testing.T) {
	for _, c := range []struct {
		rule string
		row  tc
		want string // the whole message
		sev  string
	}{
		{"image-user-root", img(true, user("")), "linux/amd64: config.User is empty: the container runs as root", "high"},
		{"image-user-root", img(true, func(p *PlatformImage) { p.User = "admin:admin"; p.Passwd = []byte("admin:x:0:0::/:/bin/sh\n") }),
			`linux/amd64: config.User is "admin:admin", which the image's /etc/passwd maps to UID 0: the container runs as root`, "high"},
		{"image-setuid", img(true, func(p *PlatformImage) { p.SetuidFiles = []string{"/bin/su", "/bin/mount"} }),
			"linux/amd64: 2 setuid/setgid files in the final filesystem: /bin/mount, /bin/su", "low"},
		{"image-healthcheck", img(true, healthcheck(nil, true)), "linux/amd64: the image config has no healthcheck", "medium"},
		{"image-healthcheck", img(true, healthcheck(nil, false)),
			"linux/amd64: the image config has no healthcheck; the image has no shell, so Kubernetes probes or a probe built into the binary are the usual answer", "low"},
		{"image-healthcheck", img(true, healthcheck([]string{"CMD-SHELL", "curl -f http://localhost/"}, false)),
			"linux/amd64: the healthcheck runs through /bin/sh (CMD-SHELL) but the image has no shell: it always fails and the container is marked unhealthy", "high"},
		{"image-shell-entrypoint", img(true, cmd([]string{"sh", "-c"}, []string{"npm start"})),
			`linux/amd64: the container runs sh -c "npm start": the shell is PID 1 and does not forward SIGTERM to the app`, "high"},
		{"image-labels", img(true, func(p *PlatformImage) { p.Labels = nil }).and(func(in *Input) {
			in.RequiredLabels = []string{"org.opencontainers.image.source", "org.opencontainers.image.revision"}
		}), "linux/amd64: config.Labels lacks org.opencontainers.image.source, org.opencontainers.image.revision", "medium"},
		{"image-secret-env", img(true, env("NPM_TOKEN=abc123")), "linux/amd64: ENV NPM_TOKEN=**** in the image config looks like a secret", "critical"},
		{"image-secret-env", img(true, env("GIT_REMOTE=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB")),
			"linux/amd64: ENV GIT_REMOTE in the image config holds a credential-shaped value (ghp_****)", "critical"},
		{"image-secret-env", img(true, env("DATABASE_URL=postgres://app:hunter2@db:5432/app")),
			"linux/amd64: ENV DATABASE_URL in the image config holds a URL with a password (postgres://app:****@db:5432/app)", "critical"},
		{"image-secret-history", img(true, history(
			"ARG NPM_TOKEN=abc123",
			"RUN |2 NPM_TOKEN=abc123 NODE_ENV=production /bin/sh -c npm ci # buildkit",
			"RUN |2 NPM_TOKEN=abc123 NODE_ENV=production /bin/sh -c npm run build # buildkit")),
			`linux/amd64: build arg NPM_TOKEN=**** is recorded in 3 image history entries, first "ARG NPM_TOKEN=****"`, "critical"},
		{"image-secret-history", img(true, history("|1 GITHUB_TOKEN=s3cr3t /bin/sh -c make")),
			`linux/amd64: build arg GITHUB_TOKEN=**** is recorded in the image history ("RUN /bin/sh -c make")`, "critical"},
		{"image-secret-history", img(true, history("RUN /bin/sh -c git clone https://deploy:s3cret@git.example.com/acme/lib.git # buildkit")),
			`linux/amd64: the history entry "RUN /bin/sh -c git clone https://deploy:****@git.example.com/acme/lib.git" holds a URL with user:password`, "critical"},
		{"image-secret-file", img(true, secretFiles(ImageSecretFile{Path: "/app/.env", Layer: 2, Kind: "dotenv", Deleted: true,
			CreatedBy: "RUN |1 NPM_TOKEN=abc123 /bin/sh -c cp /ctx/.env /app/.env && npm ci # buildkit"})),
			`linux/amd64: /app/.env (a dotenv file) is deleted in a later layer — still in the image's layer 3 ("RUN /bin/sh -c cp /ctx/.env /app/.env && npm ci"), which every pull downloads`, "critical"},
		{"image-secret-file", img(true, secretFiles(ImageSecretFile{Path: "/app/.git", Layer: 0, Kind: "git"})),
			"linux/amd64: /app/.git (a .git directory: history, remotes and whatever was ever committed) is in the image's layer 1", "critical"},
		{"image-size", img(true, func(p *PlatformImage) { p.CompressedSize = 1_234_567_890 }).and(sizeLimit(200)),
			"linux/amd64: the compressed size is 1.23 GB (1,234,567,890 bytes), over the limit of 200 MB (200,000,000 bytes)", "medium"},
		{"image-latest-base", img(true, label(baseNameLabel, "docker.io/library/node")),
			"linux/amd64: the base image recorded in org.opencontainers.image.base.name, docker.io/library/node, has no tag (`:latest`) and no digest: a rebuild may start from a different image", "medium"},
	} {
		r := evalCase(t, c.row)
		fs := findingsOf(r, c.rule)
		if len(fs) != 1 || fs[0].Message != c.want || fs[0].Severity != c.sev {
			t.Errorf("%s:\n got %+v\nwant %q (%s)", c.rule, fs, c.want, c.sev)
		}
	}
}

// No message, fix or rendering ever holds a secret value the image holds.
func TestImageSecretsMasked(t *testing.T) {
	secrets := []string{"hunter2", "abc123", "s3cr3t", "0123456789abcdefghijklmnopqrstuvwxyzAB", "wJalrXUtnFEMI", "eyJhbGciOi", "tok-3b1f9c"}
	row := imgs(true, func(p *PlatformImage) {
		p.Env = append(p.Env, "DB_PASSWORD=hunter2", "NPM_TOKEN=abc123", "GIT_REMOTE=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB",
			"DATABASE_URL=postgres://app:hunter2@db/app", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI")
		p.History = append(p.History,
			"ARG NPM_TOKEN=abc123",
			"RUN |2 NPM_TOKEN=abc123 DEPLOY_PASSWORD=s3cr3t /bin/sh -c npm ci # buildkit",
			"/bin/sh -c #(nop)  ENV API_TOKEN=tok-3b1f9c",
			`RUN /bin/sh -c curl -H "Authorization: Bearer eyJhbGciOi" -u deploy:s3cr3t https://deploy:s3cr3t@x.example.com/ # buildkit`,
			"RUN /bin/sh -c echo //registry.npmjs.org/:_authToken=abc123 > ~/.npmrc # buildkit",
			"RUN /bin/sh -c docker login --password s3cr3t registry.example.com # buildkit",
			"RUN /bin/sh -c aws configure set aws_secret_access_key wJalrXUtnFEMI # buildkit",
			"RUN /bin/sh -c git remote set-url origin https://x:ghp_0123456789abcdefghijklmnopqrstuvwxyzAB@github.com/a/b # buildkit",
		)
		p.SecretFiles = []ImageSecretFile{
			{Path: "/root/.npmrc", Layer: 9, Kind: "npmrc", Deleted: true, CreatedBy: "RUN |1 NPM_TOKEN=abc123 /bin/sh -c echo _authToken=abc123 > /root/.npmrc # buildkit"},
			{Path: "/root/.aws/credentials", Layer: 10, Kind: "aws-credentials", CreatedBy: "RUN /bin/sh -c aws configure set aws_secret_access_key wJalrXUtnFEMI # buildkit"},
		}
		p.Cmd = []string{"/bin/sh", "-c", "PGPASSWORD=hunter2 psql -h db --password hunter2"}
	}, user("root"))
	r := evalCase(t, row)
	if len(r.Active()) < 10 {
		t.Fatalf("only %d findings: %+v", len(r.Active()), r.Active())
	}
	js, _ := r.JSON()
	sarif, _ := r.SARIF()
	for _, s := range secrets {
		if strings.Contains(string(js), s) || strings.Contains(string(sarif), s) {
			for _, f := range r.Findings {
				if strings.Contains(f.Message, s) {
					t.Errorf("secret %q in %s: %s", s, f.Rule, f.Message)
				}
			}
		}
	}
}

// With an image and no Dockerfile, only the image rules (and vuln-report)
// run: no parse error, no .dockerignore finding, and the keys no image rule
// covers are not_evaluated.
func TestImageOnly(t *testing.T) {
	in := Input{Image: &ImageFacts{Ref: testImageRef, Platforms: []PlatformImage{goodImage()}}}
	r, err := Evaluate(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 0 || !r.Passed {
		t.Errorf("good image: %+v", r.Findings)
	}
	want := map[string]string{}
	for _, k := range ChecklistKeys() {
		want[k] = StatusNotEvaluated
	}
	for _, k := range []string{"non_root_user", "pinned_base_images", "healthcheck", "signal_handling", "no_secrets", "oci_labels"} {
		want[k] = StatusPass
	}
	if fmt.Sprint(r.Checklist) != fmt.Sprint(want) {
		t.Errorf("checklist\n got %v\nwant %v", r.Checklist, want)
	}

	// A size limit evaluates minimal_runtime; a report vulnerability_scan.
	in.MaxImageSizeMB = 40
	in.VulnReport = []byte(`{"SchemaVersion": 2, "Results": []}`)
	in.Image.Platforms[0].User = ""
	r, err = Evaluate(in)
	if err != nil {
		t.Fatal(err)
	}
	var rules []string
	for _, f := range r.Active() {
		rules = append(rules, f.Rule)
	}
	if !slices.Equal(rules, []string{"image-user-root", "image-size"}) || r.Passed {
		t.Errorf("findings %v, passed %v", rules, r.Passed)
	}
	if r.Checklist["minimal_runtime"] != StatusFail || r.Checklist["non_root_user"] != StatusFail || r.Checklist["vulnerability_scan"] != StatusPass || r.Checklist["hygiene"] != StatusNotEvaluated {
		t.Errorf("checklist %v", r.Checklist)
	}

	// An image without platforms checks nothing.
	r, err = Evaluate(Input{Image: &ImageFacts{Ref: testImageRef}})
	if err != nil {
		t.Fatal(err)
	}
	for k, s := range r.Checklist {
		if s != StatusNotEvaluated {
			t.Errorf("no platforms: %s = %s", k, s)
		}
	}
	// A target is irrelevant without a Dockerfile.
	if _, err := Evaluate(Input{Target: "prod", Image: &ImageFacts{Ref: testImageRef}}); err != nil {
		t.Errorf("target without a Dockerfile: %v", err)
	}
}

// With both, one report: the Dockerfile's findings first, then the image's.
func TestDockerfileAndImage(t *testing.T) {
	df := "FROM node:20-alpine\nCOPY . .\nCMD npm start\n"
	r := evalCase(t, tc{df: df}.and(imgs(true, user(""), user("")).mod))
	var files []string
	for _, f := range r.Active() {
		if len(files) == 0 || files[len(files)-1] != f.File {
			files = append(files, f.File)
		}
	}
	if !slices.Equal(files, []string{"Dockerfile", testImageRef}) {
		t.Errorf("files in order %v", files)
	}
	for _, want := range []string{"user-root", "exec-form", "image-user-root"} {
		if !hasActive(r, want) {
			t.Errorf("%s missing", want)
		}
	}
	if n := len(findingsOf(r, "image-user-root")); n != 2 {
		t.Errorf("image-user-root x%d, want one per platform", n)
	}
	for k, s := range r.Checklist {
		if s == StatusNotEvaluated && k != "vulnerability_scan" {
			t.Errorf("%s not evaluated with a Dockerfile", k)
		}
	}
	// A Dockerfile that has no stages still lets the image keys be judged.
	r = evalCase(t, tc{df: "# nothing\n"}.and(img(true, user("")).mod))
	if r.Checklist["non_root_user"] != StatusFail || r.Checklist["hygiene"] != StatusFail || r.Checklist["copy_chown"] != StatusNotEvaluated {
		t.Errorf("no stages: %v", r.Checklist)
	}
}

// Image rules obey ignore (by ID and alias), severity overrides, fail_on
// and file pragmas like every rule.
func TestImageRulesConfiguration(t *testing.T) {
	bad := img(true, func(p *PlatformImage) {
		p.User = ""
		p.SetuidFiles = []string{"/bin/su"}
		p.Env = append(p.Env, "API_TOKEN=abc123")
	})
	r := evalCase(t, bad.and(func(in *Input) {
		in.Ignore = []string{"CIS-DI-0010"}
		in.SeverityOverrides = map[string]Severity{"image-user-root": Low, "CIS-DI-0008": Medium}
	}))
	for _, f := range r.Findings {
		switch f.Rule {
		case "image-secret-env":
			if !f.Ignored {
				t.Errorf("image-secret-env not ignored through CIS-DI-0010")
			}
		case "image-user-root":
			if f.Severity != "low" {
				t.Errorf("override: image-user-root is %s", f.Severity)
			}
		case "image-setuid":
			if f.Severity != "medium" {
				t.Errorf("override by alias: image-setuid is %s", f.Severity)
			}
		}
	}
	if r.Passed || r.Checklist["non_root_user"] != StatusFail || r.Checklist["no_secrets"] != StatusPass {
		t.Errorf("passed %v, checklist %v", r.Passed, r.Checklist)
	}

	onlyLow := img(true, func(p *PlatformImage) { p.SetuidFiles = []string{"/bin/su"} })
	for _, c := range []struct {
		failOn Severity
		passed bool
	}{{0, true}, {Medium, true}, {Low, false}} {
		if r := evalCase(t, onlyLow.and(func(in *Input) { in.FailOn = c.failOn })); r.Passed != c.passed {
			t.Errorf("fail_on %v: passed %v", c.failOn, r.Passed)
		}
	}

	r = evalCase(t, tc{df: "# prodimage:ignore-file=image-setuid -- busybox su is not reachable\nFROM alpine:3.20\nUSER 10001\n"}.and(onlyLow.mod))
	if fs := findingsOf(r, "image-setuid"); len(fs) != 1 || !fs[0].Ignored {
		t.Errorf("file pragma: %+v", fs)
	}

	if _, err := Evaluate(Input{Image: &ImageFacts{}, MaxImageSizeMB: -1}); err == nil || !strings.Contains(err.Error(), "max_image_size_mb") {
		t.Errorf("negative size limit: %v", err)
	}
}

func TestParseHistory(t *testing.T) {
	for _, c := range []struct {
		in      string
		keyword string
		pairs   string
		command string
	}{
		{"RUN |2 NPM_TOKEN=abc OTHER=x /bin/sh -c npm ci # buildkit", "RUN", "NPM_TOKEN=abc OTHER=x", "/bin/sh -c npm ci"},
		{"|1 KEY=VALUE /bin/sh -c make", "RUN", "KEY=VALUE", "/bin/sh -c make"},
		{"RUN |2 A=has spaces B=x /bin/sh -c true # buildkit", "RUN", "A=has spaces B=x", "/bin/sh -c true"},
		{"RUN |1 A= /bin/sh -c true # buildkit", "RUN", "A=", "/bin/sh -c true"},
		{"RUN /bin/sh -c apk add --no-cache tini # buildkit", "RUN", "", "/bin/sh -c apk add --no-cache tini"},
		// A valueless ARG after a value reads as part of it: values are unquoted.
		{"ARG NPM_TOKEN=abc OTHER", "ARG", "NPM_TOKEN=abc OTHER", "NPM_TOKEN=abc OTHER"},
		{"ARG OTHER NPM_TOKEN=abc", "ARG", "OTHER= NPM_TOKEN=abc", "OTHER NPM_TOKEN=abc"},
		{"ENV A=1 B=two words", "ENV", "A=1 B=two words", "A=1 B=two words"},
		{"/bin/sh -c #(nop)  ENV API_KEY=xyz", "ENV", "API_KEY=xyz", "API_KEY=xyz"},
		{"/bin/sh -c #(nop) ADD file:4b03b5f551e3fbdf47ec609712007327828f7530cc3455c43bbcdcaf449a75a9 in / ", "ADD", "", "file:4b03b5f551e3fbdf47ec609712007327828f7530cc3455c43bbcdcaf449a75a9 in /"},
		{"/bin/sh -c apt-get update", "", "", "/bin/sh -c apt-get update"},
		{"COPY |1 x /y # buildkit", "COPY", "", "|1 x /y"},
		{"", "", "", ""},
	} {
		e := parseHistory(c.in)
		var pairs []string
		for _, kv := range e.pairs {
			pairs = append(pairs, kv[0]+"="+kv[1])
		}
		if e.keyword != c.keyword || strings.Join(pairs, " ") != c.pairs || e.command != c.command {
			t.Errorf("parseHistory(%q) = %q, %q, %q; want %q, %q, %q", c.in, e.keyword, pairs, e.command, c.keyword, c.pairs, c.command)
		}
	}
}

func TestRedactHistory(t *testing.T) {
	for in, want := range map[string]string{
		"RUN |2 NPM_TOKEN=abc OTHER=x /bin/sh -c npm ci # buildkit":                           "RUN /bin/sh -c npm ci",
		"ARG NPM_TOKEN=abc NODE_ENV=production":                                               "ARG NPM_TOKEN=**** NODE_ENV=production",
		"ARG NPM_TOKEN":                                                                       "ARG NPM_TOKEN",
		"/bin/sh -c #(nop)  ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE":                       "ENV AWS_ACCESS_KEY_ID=AKIA****",
		"RUN /bin/sh -c curl -H 'Authorization: token abc' https://u:p@x.example/ # buildkit": "RUN /bin/sh -c curl -H 'Authorization: token ****' https://u:****@x.example/",
		"RUN /bin/sh -c apk add --no-cache ca-certificates curl git openssh-client tini tzdata bash jq make python3 py3-pip nodejs npm # buildkit": "RUN /bin/sh -c apk add --no-cache ca-certificates curl git openssh-client tini tzdata bash jq make …",
		"RUN /bin/sh -c PGPASSWORD='hunter2' psql -c 'select 1' && DEBUG=1 curl -u deploy:s3cr3t https://x # buildkit":                             "RUN /bin/sh -c PGPASSWORD=**** psql -c 'select 1' && DEBUG=1 curl -u deploy:**** https://x",
	} {
		if got := redactHistory(in); got != want {
			t.Errorf("redactHistory(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

func TestPasswdUID(t *testing.T) {
	passwd := []byte("# comment\nroot:x:0:0:root:/root:/bin/sh\r\nbroken\nnode:x:1000:1000::/home/node:/bin/sh\ntoor:x:0:0::/:/bin/sh\nnode:x:0:0::/:/bin/sh\nodd:x:abc:0::/:/bin/sh")
	for name, want := range map[string]int{"root": 0, "node": 1000, "toor": 0} {
		if uid, ok := passwdUID(passwd, name); !ok || uid != want {
			t.Errorf("passwdUID(%s) = %d, %v; want %d", name, uid, ok, want)
		}
	}
	for _, name := range []string{"nobody", "broken", "odd", ""} {
		if _, ok := passwdUID(passwd, name); ok {
			t.Errorf("passwdUID(%s) found", name)
		}
	}
}
