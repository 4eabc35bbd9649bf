package imagescan

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/prodimage/terraform-provider-prodimage/internal/registry"
)

// Options configure Scan.
type Options struct {
	// Remote are the registry options (auth, transport), usually
	// registry.Client.RemoteOptions(ctx). Scan adds its own context last. Default none
	// (anonymous, go-containerregistry's default transport).
	Remote []remote.Option
	// Platform selects one platform of an index ("linux/arm64"; "linux/arm64" also
	// matches linux/arm64/v8). Default "": every platform. A single image that is not of
	// this platform is an error.
	Platform string
	// Parallel is how many layers are fetched and read at once. Default 3; negative is
	// an error. Each layer is still read exactly once.
	Parallel int
}

// Result is what Scan found: one Platform per image it read.
type Result struct {
	Ref       string // as given
	Digest    string // what Ref points at: the index, or the image manifest
	MediaType string
	Platforms []Platform // in index order
}

// Platform holds one image's facts for the image rules of RULES.md.
type Platform struct {
	Platform string // "linux/amd64"
	Digest   string // the image manifest
	// Config is the image config as stored. Env holds full KEY=VALUE strings: whoever
	// shows them must mask the values.
	Config  v1.Config
	History []HistoryEntry
	// CompressedSize is the config plus every layer, compressed: what a node pulls.
	CompressedSize int64
	Layers         int
	// SecretFiles lists every secret file of every layer, including the ones a later
	// layer deleted, by layer then path. Paths and kinds only, never content.
	SecretFiles []SecretFile
	// SetuidFiles are the setuid or setgid regular files of the final filesystem, sorted.
	SetuidFiles []string
	// Passwd is the final /etc/passwd (its first 1 MiB); nil when the image has none.
	Passwd []byte
	// HasShell: /bin/sh, /bin/bash, /bin/ash, /busybox/sh, /usr/bin/sh or /usr/bin/bash
	// leads, through symlinks inside the image, to a file of the final filesystem.
	HasShell bool
	// HasGit: some layer holds a .git directory (deleted later or not).
	HasGit bool
}

// HistoryEntry is one entry of the config's history.
type HistoryEntry struct {
	// CreatedBy is the history text as stored; build arguments recorded in it may hold
	// secret values, so it must be masked before it is shown.
	CreatedBy  string
	EmptyLayer bool
	LayerIndex int // the layer it made, 0-based; -1 for an empty layer
}

// SecretFile is a secret-like file in one layer.
type SecretFile struct {
	Path  string // "/app/.env"; for Kind "git", the .git directory
	Layer int    // 0-based layer index
	Kind  string // one of the Kind constants
	// Deleted: the file is not in the final filesystem, because a later layer whited it
	// out, an opaque directory hid it, or a later layer put something else at its path
	// (or at a directory above it). It is still in this layer, for anyone who pulls it.
	Deleted bool
	// CreatedBy is the history entry that made the layer ("" when the image has no
	// history for it); see HistoryEntry.CreatedBy about masking.
	CreatedBy string
}

// Scan reads the image or index that ref names and returns the facts the image rules
// need. Every layer is streamed once through decompression and tar, never stored: memory
// depends on Parallel, not on the image's size. A layer shared by several platforms, or
// repeated in one image, is read once too.
//
// Errors: a reference, platform or blob the registry does not have matches
// registry.ErrNotFound with errors.Is, refused credentials registry.ErrUnauthorized
// (both as *registry.Error); a layer that is not a tar stream ErrBadLayer (inside a
// *LayerError naming the layer); an image that is not a container image ErrUnsupported.
// When ctx ends, the error is ctx's.
func Scan(ctx context.Context, ref name.Reference, o Options) (*Result, error) {
	par := o.Parallel
	switch {
	case par < 0:
		return nil, fmt.Errorf("imagescan: Parallel is %d; use a positive number, or 0 for the default (3)", par)
	case par == 0:
		par = 3
	}
	var want *v1.Platform
	if o.Platform != "" {
		p, err := v1.ParsePlatform(o.Platform)
		if err != nil || p.OS == "" || p.Architecture == "" {
			return nil, fmt.Errorf("imagescan: platform %q: want os/arch[/variant], like \"linux/arm64\"", o.Platform)
		}
		if p.Architecture == "arm64" && p.Variant == "v8" {
			p.Variant = "" // arm64 images name v8 or no variant at all: the same thing
		}
		want = p
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	opts := append(slices.Clone(o.Remote), remote.WithContext(ctx))

	res, targets, err := resolve(ref, want, opts)
	if err != nil {
		return nil, ctxErr(ctx, err)
	}
	uses := map[v1.Hash]int{}
	for _, t := range targets {
		for _, l := range t.manifest.Layers {
			uses[l.Digest]++
		}
	}
	s := &session{ref: ref, par: par, uses: uses, done: map[v1.Hash]*layerSummary{}}
	for _, t := range targets {
		p, err := s.platform(ctx, t)
		if err != nil {
			return nil, ctxErr(ctx, err)
		}
		res.Platforms = append(res.Platforms, *p)
	}
	return res, nil
}

// ctxErr prefers the context's error: a canceled scan fails because it was canceled,
// whatever the transport made of it.
func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return err
}

type target struct {
	platform string
	digest   string
	img      v1.Image
	manifest *v1.Manifest
	config   *v1.ConfigFile
}

// resolve fetches what ref points at, and the manifest and config of each image to scan.
func resolve(ref name.Reference, want *v1.Platform, opts []remote.Option) (*Result, []target, error) {
	desc, err := remote.Get(ref, opts...)
	if err != nil {
		return nil, nil, classify(ref.String(), err)
	}
	res := &Result{Ref: ref.String(), Digest: desc.Digest.String(), MediaType: string(desc.MediaType)}
	var targets []target
	switch {
	case desc.MediaType.IsIndex():
		idx, err := desc.ImageIndex()
		if err != nil {
			return nil, nil, classify(ref.String(), err)
		}
		im, err := idx.IndexManifest()
		if err != nil {
			return nil, nil, classify(ref.String(), err)
		}
		var have []string
		for _, md := range im.Manifests {
			p := registry.PlatformString(md.Platform)
			// Attestations (BuildKit's provenance and SBOM manifests, unknown/unknown)
			// and nested indexes are not runnable images.
			if !md.MediaType.IsImage() || p == "" || md.Annotations["vnd.docker.reference.type"] == "attestation-manifest" {
				continue
			}
			have = append(have, p)
			if want != nil && !md.Platform.Satisfies(*want) {
				continue
			}
			img, err := idx.Image(md.Digest)
			if err != nil {
				return nil, nil, classify(ref.String(), err)
			}
			t, err := newTarget(ref, img, p, md.Digest.String())
			if err != nil {
				return nil, nil, err
			}
			targets = append(targets, *t)
		}
		if len(targets) == 0 {
			msg := "the index holds no image"
			if want != nil {
				msg = fmt.Sprintf("no %s image in the index; it has %s", platformString(want), strings.Join(have, ", "))
			}
			return nil, nil, &registry.Error{Ref: ref.String(), Kind: registry.ErrNotFound, Err: errors.New(msg)}
		}
	case desc.MediaType.IsImage():
		img, err := desc.Image()
		if err != nil {
			return nil, nil, classify(ref.String(), err)
		}
		t, err := newTarget(ref, img, "", desc.Digest.String())
		if err != nil {
			return nil, nil, err
		}
		if want != nil {
			have := v1.Platform{OS: t.config.OS, Architecture: t.config.Architecture, Variant: t.config.Variant}
			if !have.Satisfies(*want) {
				return nil, nil, &registry.Error{Ref: ref.String(), Kind: registry.ErrNotFound,
					Err: fmt.Errorf("the image is %s only, not %s", t.platform, platformString(want))}
			}
		}
		targets = append(targets, *t)
	default:
		return nil, nil, fmt.Errorf("%s: %w: media type %s is neither an image nor an index", ref, ErrUnsupported, desc.MediaType)
	}
	return res, targets, nil
}

func platformString(p *v1.Platform) string { return registry.PlatformString(p) }

func newTarget(ref name.Reference, img v1.Image, platform, digest string) (*target, error) {
	mf, err := img.Manifest()
	if err != nil {
		return nil, classify(ref.String(), err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("%s: reading the image config: %w", ref, classify(ref.String(), err))
	}
	if platform == "" {
		platform = registry.PlatformString(&v1.Platform{OS: cf.OS, Architecture: cf.Architecture, Variant: cf.Variant})
	}
	for i, l := range mf.Layers {
		if !l.MediaType.IsLayer() {
			return nil, &LayerError{Platform: platform, Index: i, Digest: l.Digest.String(),
				Err: fmt.Errorf("%w: media type %s is not a container image layer", ErrUnsupported, l.MediaType)}
		}
	}
	return &target{platform: platform, digest: digest, img: img, manifest: mf, config: cf}, nil
}

// session scans the targets of one Scan. Layer summaries are kept from the time a
// worker finishes them until their last use, so a digest used twice is read once.
type session struct {
	ref  name.Reference
	par  int
	uses map[v1.Hash]int
	done map[v1.Hash]*layerSummary
}

type layerResult struct {
	digest v1.Hash
	sum    *layerSummary
	err    error
}

func (s *session) platform(ctx context.Context, t target) (*Platform, error) {
	mf, cf := t.manifest, t.config
	p := &Platform{
		Platform:       t.platform,
		Digest:         t.digest,
		Config:         cf.Config,
		CompressedSize: mf.Config.Size,
		Layers:         len(mf.Layers),
	}
	createdBy := make([]string, len(mf.Layers))
	li := 0
	for _, h := range cf.History {
		e := HistoryEntry{CreatedBy: h.CreatedBy, EmptyLayer: h.EmptyLayer, LayerIndex: -1}
		if !h.EmptyLayer {
			if li < len(createdBy) {
				e.LayerIndex = li
				createdBy[li] = h.CreatedBy
			}
			li++
		}
		p.History = append(p.History, e)
	}
	for _, l := range mf.Layers {
		p.CompressedSize += l.Size
	}

	// Workers take the layers not read yet, in order; the merge below applies the
	// summaries in layer order as they arrive.
	var todo []int
	queued := map[v1.Hash]bool{}
	for i, l := range mf.Layers {
		if s.done[l.Digest] == nil && !queued[l.Digest] {
			queued[l.Digest] = true
			todo = append(todo, i)
		}
	}
	wctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	jobs := make(chan int)
	results := make(chan layerResult, len(todo)) // workers never wait for the merge
	var wg sync.WaitGroup
	defer wg.Wait()
	for range min(s.par, len(todo)) {
		wg.Go(func() {
			sc := newScanner()
			defer sc.close()
			for i := range jobs {
				d := mf.Layers[i].Digest
				sum, err := s.layer(wctx, sc, t, i)
				results <- layerResult{digest: d, sum: sum, err: err}
			}
		})
	}
	go func() {
		defer close(jobs)
		for _, i := range todo {
			select {
			case jobs <- i:
			case <-wctx.Done():
				return
			}
		}
	}()

	fs := newFinalFS()
	for i, l := range mf.Layers {
		for s.done[l.Digest] == nil {
			r := <-results
			if r.err != nil {
				// The deferred Wait lets the other workers see this and stop.
				stop(r.err)
				return nil, r.err
			}
			s.done[r.digest] = r.sum
		}
		fs.apply(s.done[l.Digest], i, createdBy[i])
		if s.uses[l.Digest]--; s.uses[l.Digest] == 0 {
			delete(s.done, l.Digest)
		}
	}

	p.SecretFiles = fs.secrets
	slices.SortStableFunc(p.SecretFiles, func(a, b SecretFile) int {
		if a.Layer != b.Layer {
			return a.Layer - b.Layer
		}
		return strings.Compare(a.Path, b.Path)
	})
	p.SetuidFiles = fs.setuidFiles()
	p.Passwd = fs.passwd
	p.HasShell = fs.hasShell()
	p.HasGit = fs.hasGit
	return p, nil
}

func (s *session) layer(ctx context.Context, sc *scanner, t target, i int) (*layerSummary, error) {
	d := t.manifest.Layers[i].Digest
	lerr := func(err error) error {
		return &LayerError{Platform: t.platform, Index: i, Digest: d.String(), Err: err}
	}
	l, err := t.img.LayerByDigest(d)
	if err != nil {
		return nil, lerr(err)
	}
	rc, err := l.Compressed()
	if err != nil {
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		return nil, lerr(classify(s.ref.Context().Digest(d.String()).String(), err))
	}
	defer rc.Close()
	sum, err := sc.scan(ctx, rc)
	if err != nil {
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		return nil, lerr(err)
	}
	return sum, nil
}

// ErrUnsupported is wrapped by the error about a reference that is not a container image
// (an artifact, a layer of another media type).
var ErrUnsupported = errors.New("not a container image")

// LayerError is an error about one layer of one platform's image.
type LayerError struct {
	Platform string
	Index    int // 0-based
	Digest   string
	Err      error
}

func (e *LayerError) Error() string {
	return fmt.Sprintf("%s layer %d (%s): %v", e.Platform, e.Index, e.Digest, e.Err)
}

func (e *LayerError) Unwrap() error { return e.Err }

// classify turns the registry's answers into *registry.Error, so that errors.Is works
// with registry.ErrNotFound and registry.ErrUnauthorized as for every other registry
// call of the provider; the original error stays in the chain.
func classify(ref string, err error) error {
	var te *transport.Error
	if !errors.As(err, &te) {
		return err
	}
	switch te.StatusCode {
	case http.StatusNotFound:
		return &registry.Error{Ref: ref, Kind: registry.ErrNotFound, Err: err}
	case http.StatusUnauthorized, http.StatusForbidden:
		return &registry.Error{Ref: ref, Kind: registry.ErrUnauthorized, Err: err}
	}
	for _, d := range te.Errors {
		switch d.Code {
		case transport.ManifestUnknownErrorCode, transport.NameUnknownErrorCode, transport.BlobUnknownErrorCode:
			return &registry.Error{Ref: ref, Kind: registry.ErrNotFound, Err: err}
		case transport.UnauthorizedErrorCode, transport.DeniedErrorCode:
			return &registry.Error{Ref: ref, Kind: registry.ErrUnauthorized, Err: err}
		}
	}
	return err
}
