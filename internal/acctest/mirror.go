package acctest

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// GoBuilderImage is a stand-in for the official golang image, made offline from this
// machine's own Go toolchain: busybox for the shell, GOROOT at /usr/local/go, and the
// CA bundle. Only the host platform: builder stages run on $BUILDPLATFORM and
// cross-compile.
func GoBuilderImage() (v1.Image, string, error) {
	goroot, err := goEnv("GOROOT")
	if err != nil {
		return nil, "", err
	}
	version, err := goEnv("GOVERSION") // go1.26.8
	if err != nil {
		return nil, "", err
	}
	base, err := BusyboxImage("linux/" + runtime.GOARCH)
	if err != nil {
		return nil, "", err
	}
	toolchain, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return tarDir(goroot, "usr/local/go", func(rel string) bool {
			return rel == "test" || strings.HasPrefix(rel, "test/") || rel == "api" || strings.HasPrefix(rel, "api/") ||
				rel == "doc" || strings.HasPrefix(rel, "doc/")
		}), nil
	}, tarball.WithMediaType(types.OCILayer), tarball.WithCompressionLevel(gzip.BestSpeed))
	if err != nil {
		return nil, "", err
	}
	certs, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return tarFiles(map[string]string{"etc/ssl/certs/ca-certificates.crt": "/etc/ssl/certs/ca-certificates.crt"}), nil
	}, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, "", err
	}
	img, err := mutate.AppendLayers(base, toolchain, certs)
	if err != nil {
		return nil, "", err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, "", err
	}
	cf = cf.DeepCopy()
	cf.Config.Env = []string{
		"PATH=/usr/local/go/bin:/root/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"GOLANG_VERSION=" + strings.TrimPrefix(version, "go"),
		"GOTOOLCHAIN=local",
		"HOME=/root",
	}
	cf.Config.WorkingDir = "/go"
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		return nil, "", err
	}
	// golang:1.26 for go1.26.8, the tag a Dockerfile would use.
	minor := strings.Join(strings.SplitN(strings.TrimPrefix(version, "go"), ".", 3)[:2], ".")
	return mutate.MediaType(img, types.OCIManifestSchema1), minor, nil
}

func goEnv(key string) (string, error) {
	out, err := exec.Command("go", "env", key).Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w (the demo's builder image is made from this machine's Go)", key, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// tarDir streams dir as a tar with entries under prefix, skipping what skip says.
func tarDir(dir, prefix string, skip func(rel string) bool) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		tw := tar.NewWriter(pw)
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			rel = filepath.ToSlash(rel)
			if rel != "." && skip(rel) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			link := ""
			if info.Mode()&fs.ModeSymlink != 0 {
				if link, err = os.Readlink(p); err != nil {
					return err
				}
			}
			hdr, err := tar.FileInfoHeader(info, link)
			if err != nil {
				return err
			}
			name := prefix
			if rel != "." {
				name = prefix + "/" + rel
			}
			hdr.Name = name
			hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = 0, 0, "", ""
			if d.IsDir() {
				hdr.Name += "/"
			}
			if err := tw.WriteHeader(hdr); err != nil {
				return err
			}
			if info.Mode().IsRegular() {
				f, err := os.Open(p)
				if err != nil {
					return err
				}
				_, err = io.Copy(tw, f)
				f.Close()
				return err
			}
			return nil
		})
		if err == nil {
			err = tw.Close()
		}
		pw.CloseWithError(err)
	}()
	return pr
}

// tarFiles streams the host files (value) under the given names (key).
func tarFiles(files map[string]string) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		tw := tar.NewWriter(pw)
		var err error
		for name, src := range files {
			var b []byte
			if b, err = os.ReadFile(src); err != nil {
				break
			}
			if err = tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, Size: int64(len(b))}); err != nil {
				break
			}
			if _, err = tw.Write(b); err != nil {
				break
			}
		}
		if err == nil {
			err = tw.Close()
		}
		pw.CloseWithError(err)
	}()
	return pr
}

// SeedGoMirror pushes GoBuilderImage to Registry as mirror/golang:<minor> unless it is
// there already, and returns the named contexts that map the official image onto it.
func (e *Env) SeedGoMirror(ctx context.Context) (map[string]string, error) {
	img, minor, err := GoBuilderImage()
	if err != nil {
		return nil, err
	}
	ref := fmt.Sprintf("%s/mirror/golang:%s", e.Registry, minor)
	if _, err := e.Head(ctx, ref); err != nil {
		// An index, like the official image, with the platform BuildKit matches on.
		idx := mutate.AppendManifests(mutate.IndexMediaType(empty.Index, types.OCIImageIndex), mutate.IndexAddendum{
			Add:        img,
			Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: runtime.GOARCH}},
		})
		if err := e.PushIndex(ctx, ref, idx); err != nil {
			return nil, fmt.Errorf("pushing the Go builder mirror %s: %w", ref, err)
		}
	}
	return map[string]string{"golang:" + minor: "docker-image://" + ref}, nil
}
