package imagescan

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/prodimage/terraform-provider-prodimage/internal/registry"
)

const (
	dotenvSecret = "API_KEY=supersecret-dotenv-123"
	npmSecret    = "npm_TOKENVALUE987654321"
	dockerSecret = "ZG9ja2VyOnNlY3JldC1wYXNzd29yZA=="
)

// secretsIn fails the test when any string the result holds contains one of the values.
func noSecretsIn(t *testing.T, res *Result, values ...string) {
	t.Helper()
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range values {
		for _, line := range strings.Split(strings.TrimSpace(v), "\n") {
			if len(line) >= 16 && strings.Contains(string(b), line) {
				t.Errorf("the result holds the secret value %q: %s", line, b)
			}
		}
	}
}

// TestScan_secretFiles is the main table: one image per case, the secret files wanted.
func TestScan_secretFiles(t *testing.T) {
	key := privateKeyPEM(t)
	reg := newRegistry(t)
	type want struct {
		path, kind string
		layer      int
		deleted    bool
	}
	cases := []struct {
		name  string
		steps [][]entry
		want  []want
	}{
		{
			name: ".env added in layer 0, whited out in layer 1",
			steps: [][]entry{
				{dir("app"), file("app/.env", dotenvSecret), file("app/main.js", "console.log(1)")},
				{whiteout("app/.env")},
			},
			want: []want{{"/app/.env", KindDotenv, 0, true}},
		},
		{
			name:  ".env kept",
			steps: [][]entry{{file("./srv/.env.production", dotenvSecret)}},
			want:  []want{{"/srv/.env.production", KindDotenv, 0, false}},
		},
		{
			name: ".env templates and look-alikes are not secrets",
			steps: [][]entry{{file("app/.env.example", dotenvSecret), file("app/.env.sample", dotenvSecret),
				file("app/.env.template", dotenvSecret), file("app/.environment", dotenvSecret), file("app/.env", "")}},
		},
		{
			name:  "private key under an innocuous name, found by content",
			steps: [][]entry{{file("usr/share/doc/notes.txt", "see below\n"+key)}},
			want:  []want{{"/usr/share/doc/notes.txt", KindPrivateKey, 0, false}},
		},
		{
			name: "a PEM header named in code or a public key is not a private key",
			steps: [][]entry{{file("src/pem.go", `const header = "-----BEGIN RSA PRIVATE KEY-----"`),
				file("root/.ssh/id_rsa.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIp0dJ2Fh user@host")}},
		},
		{
			name: ".npmrc: only with a token",
			steps: [][]entry{
				{file("a/.npmrc", "registry=https://registry.npmjs.org/\n"),
					file("b/.npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"),
					file("c/.npmrc", "//registry.npmjs.org/:_authToken="+npmSecret+"\n")},
			},
			want: []want{{"/c/.npmrc", KindNpmrc, 0, false}},
		},
		{
			name: "pypirc, netrc, aws, docker config with credentials; without, not",
			steps: [][]entry{{
				file("root/.pypirc", "[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmc\n"),
				file("root/.netrc", "machine example.com login bob password hunter2hunter2\n"),
				file("root/.aws/credentials", "[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = abcdEXAMPLEKEY\n"),
				file("root/.docker/config.json", `{"auths":{"registry.example.com":{"auth":"`+dockerSecret+`"}}}`),
				file("home/app/.docker/config.json", `{"auths":{"registry.example.com":{}},"credsStore":"desktop"}`),
				file("home/app/.netrc", "machine example.com login bob\n"),
				file("home/app/.aws/config", "[default]\nregion = eu-west-1\n"),
			}},
			want: []want{
				{"/root/.aws/credentials", KindAWSCredentials, 0, false},
				{"/root/.docker/config.json", KindDockerConfig, 0, false},
				{"/root/.netrc", KindNetrc, 0, false},
				{"/root/.pypirc", KindPypirc, 0, false},
			},
		},
		{
			name: "opaque whiteout hides the earlier files of its directory only",
			steps: [][]entry{
				{dir("app"), file("app/.env", dotenvSecret), file("etc/app/.env", dotenvSecret)},
				{dir("app"), opaque("app"), file("app/server.js", "ok")},
			},
			want: []want{{"/app/.env", KindDotenv, 0, true}, {"/etc/app/.env", KindDotenv, 0, false}},
		},
		{
			name: "a later layer replacing the file, or its directory by a file, hides it",
			steps: [][]entry{
				{file("a/.env", dotenvSecret), file("b/.env", dotenvSecret)},
				{file("a/.env", "")},
				{file("b", "now a file")},
			},
			want: []want{{"/a/.env", KindDotenv, 0, true}, {"/b/.env", KindDotenv, 0, true}},
		},
		{
			name: ".git directory reported once per repository and layer; deleted with its parent",
			steps: [][]entry{
				{dir("app/.git"), file("app/.git/HEAD", "ref: refs/heads/main\n"), file("app/.git/objects/ab/cdef", "blob"),
					file("vendor/x/.git/config", "[core]\n"), file("mod/.git", "gitdir: ../.git/modules/mod\n")},
				{whiteout("app")},
			},
			want: []want{{"/app/.git", KindGit, 0, true}, {"/vendor/x/.git", KindGit, 0, false}},
		},
		{
			name:  "hard link to a secret file is reported as well",
			steps: [][]entry{{file("keys/server.key", key), hardlink("keys/copy.key", "keys/server.key", 0o600)}},
			want:  []want{{"/keys/copy.key", KindPrivateKey, 0, false}, {"/keys/server.key", KindPrivateKey, 0, false}},
		},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var steps []step
			for j, es := range c.steps {
				steps = append(steps, step{createdBy: "RUN step " + string(rune('0'+j)), layer: layer(t, gzipped, es...)})
			}
			ref := reg.push(t, "secrets:"+string(rune('a'+i)), image(t, "linux/amd64", v1.Config{}, steps...))
			res := scan(t, ref, Options{})
			if len(res.Platforms) != 1 {
				t.Fatalf("scanned %d platforms, want 1", len(res.Platforms))
			}
			got := res.Platforms[0].SecretFiles
			var gotW []want
			for _, f := range got {
				gotW = append(gotW, want{f.Path, f.Kind, f.Layer, f.Deleted})
				if f.CreatedBy != "RUN step "+string(rune('0'+f.Layer)) {
					t.Errorf("%s: CreatedBy %q, want the history of layer %d", f.Path, f.CreatedBy, f.Layer)
				}
			}
			if !slices.Equal(gotW, c.want) {
				t.Errorf("layers %s:\ngot secret files%s\nwant %+v", show(c.steps), describe(got), c.want)
			}
			noSecretsIn(t, res, dotenvSecret, npmSecret, dockerSecret, key, "hunter2hunter2", "abcdEXAMPLEKEY", "pypi-AgEIcHlwaS5vcmc")
		})
	}
}

func TestScan_finalFilesystem(t *testing.T) {
	reg := newRegistry(t)
	cases := []struct {
		name       string
		steps      [][]entry
		wantSetuid []string
		wantPasswd string // "-" for none
		wantShell  bool
		wantGit    bool
	}{
		{
			name: "setuid removed, chmodded (copied up without the bit), kept; hard link with the bit",
			steps: [][]entry{
				{setuidFile("usr/bin/passwd"), setuidFile("usr/bin/su"), setuidFile("usr/bin/mount"), setuidFile("usr/bin/newgrp")},
				{whiteout("usr/bin/su"), entry{name: "usr/bin/mount", mode: 0o755, content: "\x7fELF"},
					hardlink("usr/bin/sg", "usr/bin/newgrp", 0o2755)},
			},
			wantSetuid: []string{"/usr/bin/newgrp", "/usr/bin/passwd", "/usr/bin/sg"},
			wantPasswd: "-",
		},
		{
			name: "passwd: the last layer's content",
			steps: [][]entry{
				{file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")},
				{file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/home/app:/sbin/nologin\n")},
				{file("app/server", "bin")},
			},
			wantPasswd: "root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/home/app:/sbin/nologin\n",
		},
		{
			name: "passwd deleted by an opaque /etc",
			steps: [][]entry{
				{file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")},
				{opaque("etc"), file("etc/hostname", "x")},
			},
			wantPasswd: "-",
		},
		{
			name:       "busybox: /bin/sh a symlink to busybox",
			steps:      [][]entry{{dir("bin"), entry{name: "bin/busybox", mode: 0o755, content: "\x7fELF"}, symlink("bin/sh", "busybox")}},
			wantPasswd: "-", wantShell: true,
		},
		{
			name:       "busybox: /bin/sh a hard link to busybox",
			steps:      [][]entry{{entry{name: "bin/busybox", mode: 0o755, content: "\x7fELF"}, hardlink("bin/sh", "bin/busybox", 0o755)}},
			wantPasswd: "-", wantShell: true,
		},
		{
			name: "merged /usr: /bin → usr/bin, sh → /etc/alternatives/sh → /usr/bin/dash",
			steps: [][]entry{
				{symlink("bin", "usr/bin"), entry{name: "usr/bin/dash", mode: 0o755, content: "\x7fELF"}},
				{symlink("usr/bin/sh", "/etc/alternatives/sh"), symlink("etc/alternatives/sh", "../../usr/bin/dash")},
			},
			wantPasswd: "-", wantShell: true,
		},
		{
			name: "shell deleted later; a dangling symlink and a loop are no shell",
			steps: [][]entry{
				{entry{name: "bin/busybox", mode: 0o755, content: "\x7fELF"}, symlink("bin/sh", "busybox"),
					symlink("bin/bash", "/opt/none/bash"), symlink("bin/ash", "/bin/ash2"), symlink("bin/ash2", "ash")},
				{whiteout("bin/busybox")},
			},
			wantPasswd: "-",
		},
		{
			name:       "distroless debug: /busybox/sh",
			steps:      [][]entry{{entry{name: "busybox/sh", mode: 0o755, content: "\x7fELF"}}},
			wantPasswd: "-", wantShell: true,
		},
		{
			name:       "git seen even when deleted",
			steps:      [][]entry{{file("src/.git/HEAD", "ref")}, {whiteout("src/.git")}},
			wantPasswd: "-", wantGit: true,
		},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var steps []step
			for _, es := range c.steps {
				steps = append(steps, step{createdBy: "RUN x", layer: layer(t, gzipped, es...)})
			}
			ref := reg.push(t, "fs:"+string(rune('a'+i)), image(t, "linux/amd64", v1.Config{}, steps...))
			p := scan(t, ref, Options{}).Platforms[0]
			if !slices.Equal(p.SetuidFiles, c.wantSetuid) {
				t.Errorf("layers %s: SetuidFiles %q, want %q", show(c.steps), p.SetuidFiles, c.wantSetuid)
			}
			gotPasswd := "-"
			if p.Passwd != nil {
				gotPasswd = string(p.Passwd)
			}
			if gotPasswd != c.wantPasswd {
				t.Errorf("layers %s: Passwd %q, want %q", show(c.steps), gotPasswd, c.wantPasswd)
			}
			if p.HasShell != c.wantShell {
				t.Errorf("layers %s: HasShell %v, want %v", show(c.steps), p.HasShell, c.wantShell)
			}
			if p.HasGit != c.wantGit {
				t.Errorf("layers %s: HasGit %v, want %v", show(c.steps), p.HasGit, c.wantGit)
			}
		})
	}
}

func TestScan_configHistoryAndSize(t *testing.T) {
	reg := newRegistry(t)
	cfg := v1.Config{
		User: "app", Env: []string{"PATH=/usr/bin", "PORT=3000"}, Labels: map[string]string{"a": "b"},
		Entrypoint: []string{"/server"}, Cmd: []string{"-v"}, WorkingDir: "/app",
		Healthcheck: &v1.HealthConfig{Test: []string{"CMD", "/server", "-health"}},
	}
	l0 := layer(t, gzipped, file("app/server", "bin"))
	l1 := layer(t, gzipped, file("app/config", "x"))
	img := image(t, "linux/amd64", cfg,
		step{"ADD rootfs.tar /", l0}, step{"ENV PORT=3000", nil}, step{"COPY config /app/", l1}, step{"USER app", nil})
	ref := reg.push(t, "cfg:1", img)
	res := scan(t, ref, Options{})
	p := res.Platforms[0]

	d, _ := img.Digest()
	mt, _ := img.MediaType()
	if res.Digest != d.String() || p.Digest != d.String() || res.MediaType != string(mt) || p.Platform != "linux/amd64" {
		t.Errorf("Result %s %s, platform %s %s; want digest %s, %s, linux/amd64", res.Digest, res.MediaType, p.Platform, p.Digest, d, mt)
	}
	if p.Config.User != "app" || !slices.Equal(p.Config.Env, cfg.Env) || p.Config.Healthcheck == nil || !slices.Equal(p.Config.Healthcheck.Test, cfg.Healthcheck.Test) ||
		p.Config.WorkingDir != "/app" || !slices.Equal(p.Config.Entrypoint, cfg.Entrypoint) || p.Config.Labels["a"] != "b" {
		t.Errorf("Config %+v, want %+v", p.Config, cfg)
	}
	wantHist := []HistoryEntry{{"ADD rootfs.tar /", false, 0}, {"ENV PORT=3000", true, -1}, {"COPY config /app/", false, 1}, {"USER app", true, -1}}
	if !slices.Equal(p.History, wantHist) {
		t.Errorf("History %+v, want %+v", p.History, wantHist)
	}
	mf, _ := img.Manifest()
	want := mf.Config.Size + mf.Layers[0].Size + mf.Layers[1].Size
	if p.CompressedSize != want || p.Layers != 2 {
		t.Errorf("CompressedSize %d, Layers %d; want %d, 2", p.CompressedSize, p.Layers, want)
	}
}

func TestScan_compressions(t *testing.T) {
	reg := newRegistry(t)
	for _, c := range []struct {
		name string
		c    compression
	}{{"gzip", gzipped}, {"zstd", zstded}, {"uncompressed", uncompressed}} {
		t.Run(c.name, func(t *testing.T) {
			img := image(t, "linux/amd64", v1.Config{},
				step{"RUN a", layer(t, c.c, file("app/.env", dotenvSecret), setuidFile("bin/ping"))},
				step{"RUN b", layer(t, c.c, whiteout("app/.env"), file("etc/passwd", "root:x:0:0::/:/bin/false\n"))})
			ref := reg.push(t, "comp:"+c.name, img)
			p := scan(t, ref, Options{}).Platforms[0]
			if len(p.SecretFiles) != 1 || !p.SecretFiles[0].Deleted || p.SecretFiles[0].Path != "/app/.env" {
				t.Errorf("%s layers: secret files%s, want /app/.env deleted", c.name, describe(p.SecretFiles))
			}
			if !slices.Equal(p.SetuidFiles, []string{"/bin/ping"}) || string(p.Passwd) != "root:x:0:0::/:/bin/false\n" {
				t.Errorf("%s layers: setuid %q, passwd %q; want [/bin/ping] and the passwd of layer 1", c.name, p.SetuidFiles, p.Passwd)
			}
		})
	}
}

// TestScan_indexAndLayersReadOnce: a two-platform index whose platforms share a layer,
// one of them repeating a layer; every layer blob is fetched exactly once.
func TestScan_indexAndLayersReadOnce(t *testing.T) {
	reg := newRegistry(t)
	shared := layer(t, gzipped, file("app/.env", dotenvSecret))
	empty := layer(t, gzipped)
	amd := layer(t, gzipped, entry{name: "bin/busybox", mode: 0o755, content: "amd64"}, symlink("bin/sh", "busybox"))
	arm := layer(t, zstded, file("etc/passwd", "root:x:0:0::/:/bin/false\n"))
	imgs := map[string]v1.Image{
		"linux/amd64": image(t, "linux/amd64", v1.Config{User: "1"}, step{"ADD amd", amd}, step{"COPY app", shared}, step{"RUN true", empty}, step{"RUN :", empty}),
		"linux/arm64": image(t, "linux/arm64", v1.Config{User: "2"}, step{"ADD arm", arm}, step{"COPY app", shared}),
	}
	ref := reg.pushIndex(t, "multi:1", imgs)
	layers := map[string]v1.Layer{"shared": shared, "empty": empty, "amd": amd, "arm": arm}

	for _, par := range []int{1, 3} {
		reg.resetCounts()
		res := scan(t, ref, Options{Parallel: par})
		if len(res.Platforms) != 2 || res.Platforms[0].Platform != "linux/amd64" || res.Platforms[1].Platform != "linux/arm64" {
			t.Fatalf("Parallel %d: platforms %+v, want linux/amd64 then linux/arm64", par, res.Platforms)
		}
		for i, p := range res.Platforms {
			d, _ := imgs[p.Platform].Digest()
			if p.Digest != d.String() {
				t.Errorf("%s: digest %s, want %s", p.Platform, p.Digest, d)
			}
			if len(p.SecretFiles) != 1 || p.SecretFiles[0].Layer != 1 || p.SecretFiles[0].Deleted {
				t.Errorf("%s: secret files%s, want /app/.env in layer 1", p.Platform, describe(p.SecretFiles))
			}
			if p.HasShell != (i == 0) || (p.Passwd != nil) != (i == 1) {
				t.Errorf("%s: HasShell %v, passwd %q; want a shell on amd64 only, a passwd on arm64 only", p.Platform, p.HasShell, p.Passwd)
			}
		}
		gets := reg.blobGets()
		for nm, l := range layers {
			if n := gets[digestOf(t, l)]; n != 1 {
				t.Errorf("Parallel %d: layer %s fetched %d times, want once (blob GETs: %v)", par, nm, n, gets)
			}
		}
	}
}

func TestScan_platformFilter(t *testing.T) {
	reg := newRegistry(t)
	amd := layer(t, gzipped, file("amd", "1"))
	arm := layer(t, gzipped, file("arm", "1"))
	ref := reg.pushIndex(t, "multi:2", map[string]v1.Image{
		"linux/amd64": image(t, "linux/amd64", v1.Config{}, step{"ADD", amd}),
		"linux/arm64": image(t, "linux/arm64/v8", v1.Config{}, step{"ADD", arm}),
	})
	single := reg.push(t, "single:1", image(t, "linux/amd64", v1.Config{}, step{"ADD", amd}))

	reg.resetCounts()
	res := scan(t, ref, Options{Platform: "linux/arm64"})
	if len(res.Platforms) != 1 || res.Platforms[0].Platform != "linux/arm64" {
		t.Fatalf("Platform linux/arm64: got %+v, want only linux/arm64", res.Platforms)
	}
	if res := scan(t, ref, Options{Platform: "linux/arm64/v8"}); len(res.Platforms) != 1 || res.Platforms[0].Platform != "linux/arm64" {
		t.Errorf("Platform linux/arm64/v8: got %+v, want the linux/arm64 image", res.Platforms)
	}
	if gets := reg.blobGets(); gets[digestOf(t, amd)] != 0 {
		t.Errorf("Platform linux/arm64: the amd64 layer was fetched (blob GETs %v)", gets)
	}
	if res := scan(t, single, Options{Platform: "linux/amd64"}); len(res.Platforms) != 1 {
		t.Errorf("single image, Platform linux/amd64: %d platforms, want 1", len(res.Platforms))
	}
	for _, c := range []struct {
		ref      string
		platform string
		msg      string
	}{
		{"multi:2", "linux/s390x", "no linux/s390x image in the index; it has linux/amd64, linux/arm64"},
		{"single:1", "linux/arm64", "the image is linux/amd64 only, not linux/arm64"},
	} {
		_, err := Scan(context.Background(), reg.ref(t, c.ref), Options{Platform: c.platform})
		if !errors.Is(err, registry.ErrNotFound) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("Scan(%s, Platform %s) = %v, want registry.ErrNotFound saying %q", c.ref, c.platform, err, c.msg)
		}
	}
}

func TestScan_errors(t *testing.T) {
	reg := newRegistry(t)
	good := layer(t, gzipped, file("a", "1"))
	reg.push(t, "ok:1", image(t, "linux/amd64", v1.Config{}, step{"ADD", good}))
	bad := static.NewLayer([]byte("\x1f\x8bnot really gzip"), types.OCILayer)
	reg.push(t, "corrupt:1", image(t, "linux/amd64", v1.Config{}, step{"ADD", good}, step{"ADD", bad}))
	notTar := static.NewLayer([]byte("plain text, not a tar archive at all, long enough to fill a header block"), types.OCIUncompressedLayer)
	reg.push(t, "nottar:1", image(t, "linux/amd64", v1.Config{}, step{"ADD", notTar}))
	artifact, err := mutate.Append(image(t, "linux/amd64", v1.Config{}), mutate.Addendum{Layer: static.NewLayer([]byte("{}"), "application/vnd.example.thing+json")})
	if err != nil {
		t.Fatal(err)
	}
	reg.push(t, "artifact:1", artifact)
	missing := layer(t, gzipped, file("b", "2"))
	reg.push(t, "blobgone:1", image(t, "linux/amd64", v1.Config{}, step{"ADD", missing}))
	reg.failFor["/blobs/"+digestOf(t, missing)] = http.StatusNotFound
	reg.failFor["/private/manifests/1"] = http.StatusUnauthorized

	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		ref  string
		ctx  context.Context
		o    Options
		want error
		msg  string
	}{
		{"nothere:1", nil, Options{}, registry.ErrNotFound, "nothere"},
		{"ok:2", nil, Options{}, registry.ErrNotFound, "ok:2"},
		{"private:1", nil, Options{}, registry.ErrUnauthorized, "private"},
		{"corrupt:1", nil, Options{}, ErrBadLayer, "linux/amd64 layer 1 (" + digestOf(t, bad) + ")"},
		{"nottar:1", nil, Options{}, ErrBadLayer, "layer 0"},
		{"artifact:1", nil, Options{}, ErrUnsupported, "application/vnd.example.thing+json"},
		{"blobgone:1", nil, Options{}, registry.ErrNotFound, "layer 0"},
		{"ok:1", canceled, Options{}, context.Canceled, "canceled"},
		{"ok:1", nil, Options{Parallel: -1}, nil, "Parallel is -1"},
		{"ok:1", nil, Options{Platform: "linux"}, nil, `platform "linux"`},
	} {
		ctx := c.ctx
		if ctx == nil {
			ctx = context.Background()
		}
		_, err := Scan(ctx, reg.ref(t, c.ref), c.o)
		if err == nil || (c.want != nil && !errors.Is(err, c.want)) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("Scan(%s, %+v) = %v, want an error matching %v and saying %q", c.ref, c.o, err, c.want, c.msg)
		}
	}
}

// TestScan_cancelWhileReading: canceling the context while a layer is being fetched
// ends Scan with the context's error, and its workers with it.
func TestScan_cancelWhileReading(t *testing.T) {
	reg := newRegistry(t)
	slow := layer(t, gzipped, file("b", "2"))
	ref := reg.push(t, "slow:1", image(t, "linux/amd64", v1.Config{},
		step{"ADD a", layer(t, gzipped, file("a", "1"))}, step{"ADD b", slow}))
	arrived := make(chan struct{}, 1)
	reg.mu.Lock()
	reg.hang["/blobs/"+digestOf(t, slow)] = arrived
	reg.mu.Unlock()

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Scan(ctx, ref, Options{})
		done <- err
	}()
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("the layer was never requested")
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Scan canceled while reading a layer = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Scan did not return within 10s of its context being canceled")
	}
}
