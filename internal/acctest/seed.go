package acctest

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Platforms of the seeded base image, in index order.
var Platforms = []string{"linux/amd64", "linux/arm64"}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// busyboxPath finds the static busybox for a Debian architecture name.
func busyboxPath(arch string) (string, error) {
	var dirs []string
	if d := os.Getenv("PRODIMAGE_BUSYBOX_DIR"); d != "" {
		dirs = append(dirs, d)
	}
	if root, err := repoRoot(); err == nil {
		dirs = append(dirs, filepath.Join(root, ".cache", "busybox"))
	}
	for _, d := range dirs {
		p := filepath.Join(d, arch, "bin", "busybox")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("static busybox for %s not found under PRODIMAGE_BUSYBOX_DIR or .cache/busybox/%s/bin; run `make setup`", arch, arch)
}

// BusyboxImage builds a one-layer busybox image for a platform ("linux/arm64").
func BusyboxImage(platform string) (v1.Image, error) {
	os_, arch, _ := strings.Cut(platform, "/")
	bin, err := busyboxPath(arch)
	if err != nil {
		return nil, err
	}
	applets, err := busyboxApplets()
	if err != nil {
		return nil, err
	}
	body, err := os.ReadFile(bin)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dir := func(name string, mode int64) {
		_ = tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: mode})
	}
	file := func(name string, mode int64, data []byte) {
		_ = tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(data))})
		_, _ = tw.Write(data)
	}
	for _, d := range []string{"bin", "etc", "root", "home", "var", "usr", "usr/bin"} {
		dir(d, 0o755)
	}
	dir("tmp", 0o1777)
	file("bin/busybox", 0o755, body)
	for _, a := range applets {
		if a == "busybox" {
			continue
		}
		_ = tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: "bin/" + a, Linkname: "busybox", Mode: 0o777})
	}
	file("etc/passwd", 0o644, []byte("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"))
	file("etc/group", 0o644, []byte("root:x:0:\nnogroup:x:65534:\n"))
	if err := tw.Close(); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, err
	}
	img, err := mutate.AppendLayers(mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON), layer)
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = os_, arch
	cf.Config.Env = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
	cf.Config.Cmd = []string{"sh"}
	return mutate.ConfigFile(img, cf)
}

var appletCache []string

func busyboxApplets() ([]string, error) {
	if appletCache != nil {
		return appletCache, nil
	}
	// The host's own static busybox (same Debian version as the arm64 one) lists them.
	bin, err := busyboxPath(hostArch())
	if err != nil {
		return nil, err
	}
	out, err := exec.Command(bin, "--list").Output()
	if err != nil {
		return nil, fmt.Errorf("%s --list: %w", bin, err)
	}
	appletCache = strings.Fields(string(out))
	return appletCache, nil
}

// BusyboxIndex is the multi-arch index of BusyboxImage for every entry of Platforms.
func BusyboxIndex() (v1.ImageIndex, error) {
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	for _, p := range Platforms {
		img, err := BusyboxImage(p)
		if err != nil {
			return nil, err
		}
		os_, arch, _ := strings.Cut(p, "/")
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{
			Add:        img,
			Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: os_, Architecture: arch}},
		})
	}
	return idx, nil
}

// RemoteOptions reach this environment's registries with its credentials.
func (e *Env) RemoteOptions(ctx context.Context) []remote.Option {
	kc := authn.NewMultiKeychain(staticKeychain{host: e.TLSRegistry, user: e.TLSUser, pass: e.TLSPassword}, authn.DefaultKeychain)
	return []remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(kc)}
}

// ParseRef parses a reference in one of this environment's registries.
func (e *Env) ParseRef(s string) (name.Reference, error) {
	if strings.HasPrefix(s, e.Registry+"/") {
		return name.ParseReference(s, name.Insecure)
	}
	return name.ParseReference(s)
}

// PushIndex writes an index to ref.
func (e *Env) PushIndex(ctx context.Context, ref string, idx v1.ImageIndex) error {
	r, err := e.ParseRef(ref)
	if err != nil {
		return err
	}
	return remote.WriteIndex(r, idx, e.RemoteOptions(ctx)...)
}

// PushImage writes an image to ref.
func (e *Env) PushImage(ctx context.Context, ref string, img v1.Image) error {
	r, err := e.ParseRef(ref)
	if err != nil {
		return err
	}
	return remote.Write(r, img, e.RemoteOptions(ctx)...)
}

// Head returns the descriptor ref points at.
func (e *Env) Head(ctx context.Context, ref string) (*v1.Descriptor, error) {
	r, err := e.ParseRef(ref)
	if err != nil {
		return nil, err
	}
	return remote.Head(r, e.RemoteOptions(ctx)...)
}

func (e *Env) seed(ctx context.Context) error {
	idx, err := BusyboxIndex()
	if err != nil {
		return err
	}
	e.BaseImage = e.Registry + "/base/busybox:1.35"
	if err := e.PushIndex(ctx, e.BaseImage, idx); err != nil {
		return fmt.Errorf("pushing %s: %w", e.BaseImage, err)
	}
	if e.TLSRegistry != "" {
		e.TLSBaseImage = e.TLSRegistry + "/base/busybox:1.35"
		if err := e.PushIndex(ctx, e.TLSBaseImage, idx); err != nil {
			return fmt.Errorf("pushing %s: %w", e.TLSBaseImage, err)
		}
	}
	return nil
}

type staticKeychain struct{ host, user, pass string }

func (k staticKeychain) Resolve(r authn.Resource) (authn.Authenticator, error) {
	if k.host != "" && r.RegistryStr() == k.host {
		return &authn.Basic{Username: k.user, Password: k.pass}, nil
	}
	return authn.Anonymous, nil
}
