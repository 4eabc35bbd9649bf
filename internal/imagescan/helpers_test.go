package imagescan

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/klauspost/compress/zstd"
)

// entry is one tar entry of a test layer.
type entry struct {
	name     string
	typ      byte // tar.TypeReg when 0
	mode     int64
	content  string
	linkname string
}

func file(name, content string) entry { return entry{name: name, content: content} }
func dir(name string) entry           { return entry{name: name, typ: tar.TypeDir, mode: 0o755} }
func symlink(name, target string) entry {
	return entry{name: name, typ: tar.TypeSymlink, linkname: target, mode: 0o777}
}
func hardlink(name, target string, mode int64) entry {
	return entry{name: name, typ: tar.TypeLink, linkname: target, mode: mode}
}
func whiteout(p string) entry {
	i := strings.LastIndexByte(p, '/')
	return entry{name: p[:i+1] + ".wh." + p[i+1:]}
}
func opaque(dir string) entry { return entry{name: strings.TrimSuffix(dir, "/") + "/.wh..wh..opq"} }
func setuidFile(name string) entry {
	return entry{name: name, mode: 0o4755, content: "\x7fELF binary"}
}

func tarBytes(t testing.TB, entries []entry) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Mode: e.mode, Linkname: e.linkname}
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Mode == 0 && h.Typeflag == tar.TypeReg {
			h.Mode = 0o644
		}
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(e.content))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			if _, err := io.WriteString(tw, e.content); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type compression int

const (
	gzipped compression = iota
	zstded
	uncompressed
)

// layer builds a layer in memory, compressed as asked, with a matching media type.
func layer(t testing.TB, c compression, entries ...entry) v1.Layer {
	t.Helper()
	raw := tarBytes(t, entries)
	var b bytes.Buffer
	switch c {
	case gzipped:
		zw := gzip.NewWriter(&b)
		zw.Write(raw)
		zw.Close()
		return static.NewLayer(b.Bytes(), types.OCILayer)
	case zstded:
		zw, err := zstd.NewWriter(&b)
		if err != nil {
			t.Fatal(err)
		}
		zw.Write(raw)
		zw.Close()
		return static.NewLayer(b.Bytes(), types.OCILayerZStd)
	default:
		return static.NewLayer(raw, types.OCIUncompressedLayer)
	}
}

// step is one layer with the history entry that made it.
type step struct {
	createdBy string
	layer     v1.Layer
}

// image builds an OCI image for platform from steps; a nil layer is an empty-layer
// history entry (ENV, USER…).
func image(t testing.TB, platform string, cfg v1.Config, steps ...step) v1.Image {
	t.Helper()
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	for _, s := range steps {
		if s.layer == nil {
			cf, err := img.ConfigFile()
			if err != nil {
				t.Fatal(err)
			}
			cf = cf.DeepCopy()
			cf.History = append(cf.History, v1.History{CreatedBy: s.createdBy, EmptyLayer: true})
			if img, err = mutate.ConfigFile(img, cf); err != nil {
				t.Fatal(err)
			}
			continue
		}
		var err error
		img, err = mutate.Append(img, mutate.Addendum{Layer: s.layer, History: v1.History{CreatedBy: s.createdBy}})
		if err != nil {
			t.Fatal(err)
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	p, err := v1.ParsePlatform(platform)
	if err != nil {
		t.Fatal(err)
	}
	cf.OS, cf.Architecture, cf.Variant = p.OS, p.Architecture, p.Variant
	cf.Config = cfg
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// testRegistry is go-containerregistry's in-memory registry behind a handler that
// counts blob GETs by digest, and can answer some paths with a status of its own.
type testRegistry struct {
	host string

	mu      sync.Mutex
	gets    map[string]int
	failFor map[string]int // path suffix → status
	// hang: a request for this path suffix is announced on the channel, then left
	// unanswered until the client goes away.
	hang map[string]chan struct{}
}

func newRegistry(t testing.TB) *testRegistry {
	t.Helper()
	r := &testRegistry{gets: map[string]int{}, failFor: map[string]int{}, hang: map[string]chan struct{}{}}
	inner := ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		for suffix, status := range r.failFor {
			if strings.HasSuffix(req.URL.Path, suffix) {
				r.mu.Unlock()
				w.WriteHeader(status)
				return
			}
		}
		for suffix, ch := range r.hang {
			if strings.HasSuffix(req.URL.Path, suffix) {
				r.mu.Unlock()
				ch <- struct{}{}
				<-req.Context().Done()
				return
			}
		}
		if req.Method == http.MethodGet && strings.Contains(req.URL.Path, "/blobs/") {
			r.gets[req.URL.Path[strings.LastIndex(req.URL.Path, "/")+1:]]++
		}
		r.mu.Unlock()
		inner.ServeHTTP(w, req)
	}))
	t.Cleanup(srv.Close)
	r.host = strings.TrimPrefix(srv.URL, "http://")
	return r
}

func (r *testRegistry) ref(t testing.TB, repoTag string) name.Reference {
	t.Helper()
	ref, err := name.ParseReference(r.host+"/"+repoTag, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func (r *testRegistry) push(t testing.TB, repoTag string, img v1.Image) name.Reference {
	t.Helper()
	ref := r.ref(t, repoTag)
	if err := remote.Write(ref, img); err != nil {
		t.Fatal(err)
	}
	return ref
}

func (r *testRegistry) pushIndex(t testing.TB, repoTag string, imgs map[string]v1.Image) name.Reference {
	t.Helper()
	ref := r.ref(t, repoTag)
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	for _, p := range []string{"linux/amd64", "linux/arm64", "linux/arm/v7"} {
		img, ok := imgs[p]
		if !ok {
			continue
		}
		pl, _ := v1.ParsePlatform(p)
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: pl}})
	}
	if err := remote.WriteIndex(ref, idx); err != nil {
		t.Fatal(err)
	}
	return ref
}

func (r *testRegistry) blobGets() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for k, v := range r.gets {
		out[k] = v
	}
	return out
}

func (r *testRegistry) resetCounts() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gets = map[string]int{}
}

func scan(t testing.TB, ref name.Reference, o Options) *Result {
	t.Helper()
	res, err := Scan(context.Background(), ref, o)
	if err != nil {
		t.Fatalf("Scan(%s, %+v): %v", ref, o, err)
	}
	return res
}

// privateKeyPEM is a freshly generated key, so that no key lives in the repository.
func privateKeyPEM(t testing.TB) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func digestOf(t testing.TB, l v1.Layer) string {
	t.Helper()
	d, err := l.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d.String()
}

func describe(fs []SecretFile) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "\n  layer %d %s %s deleted=%v (%q)", f.Layer, f.Kind, f.Path, f.Deleted, f.CreatedBy)
	}
	if b.Len() == 0 {
		return " none"
	}
	return b.String()
}

// show lists the entries of each layer, for failure messages.
func show(layers [][]entry) string {
	var b strings.Builder
	for i, es := range layers {
		fmt.Fprintf(&b, "\n  layer %d:", i)
		for _, e := range es {
			switch e.typ {
			case tar.TypeSymlink:
				fmt.Fprintf(&b, " %s -> %s", e.name, e.linkname)
			case tar.TypeLink:
				fmt.Fprintf(&b, " %s => %s", e.name, e.linkname)
			default:
				fmt.Fprintf(&b, " %s", e.name)
			}
			if e.mode&0o6000 != 0 {
				fmt.Fprintf(&b, " (%o)", e.mode)
			}
		}
	}
	return b.String()
}
