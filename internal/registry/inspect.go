package registry

import (
	"context"
	"errors"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Manifest is what a reference points at, as far as prodimage needs it.
type Manifest struct {
	Digest      string
	MediaType   string
	IsIndex     bool
	Annotations map[string]string
	// Platforms maps "os/arch[/variant]" to the image manifest digest. Attestation
	// manifests are left out.
	Platforms map[string]string
	// Attestations counts attestation manifests in an index.
	Attestations int
}

// isAttestation reports whether an index entry is BuildKit's attestation manifest
// (provenance, SBOM) rather than an image.
func isAttestation(md v1.Descriptor) bool {
	return md.Annotations["vnd.docker.reference.type"] == "attestation-manifest"
}

func configPlatform(cf *v1.ConfigFile) string {
	return PlatformString(&v1.Platform{OS: cf.OS, Architecture: cf.Architecture, Variant: cf.Variant})
}

// PlatformString formats a platform the way users write it; "" for none or unknown/unknown.
func PlatformString(p *v1.Platform) string {
	if p == nil || (p.OS == "unknown" && p.Architecture == "unknown") {
		return ""
	}
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

// Inspect fetches the manifest or index at ref and summarises it.
func (c *Client) Inspect(ctx context.Context, ref string) (*Manifest, error) {
	d, err := c.Get(ctx, ref)
	if err != nil {
		return nil, err
	}
	m := &Manifest{Digest: d.Digest.String(), MediaType: string(d.MediaType), Platforms: map[string]string{}}
	if d.MediaType.IsIndex() {
		m.IsIndex = true
		idx, err := d.ImageIndex()
		if err != nil {
			return nil, err
		}
		im, err := idx.IndexManifest()
		if err != nil {
			return nil, err
		}
		m.Annotations = im.Annotations
		for _, md := range im.Manifests {
			if isAttestation(md) {
				m.Attestations++
			} else if p := PlatformString(md.Platform); p != "" {
				m.Platforms[p] = md.Digest.String()
			}
		}
		return m, nil
	}
	img, err := d.Image()
	if err != nil {
		return nil, err
	}
	mf, err := img.Manifest()
	if err != nil {
		return nil, err
	}
	m.Annotations = mf.Annotations
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("%s: reading image config: %w", ref, err)
	}
	m.Platforms[configPlatform(cf)] = m.Digest
	return m, nil
}

// Tag points tag (repo:tag) at the manifest that source (repo@digest) names.
func (c *Client) Tag(ctx context.Context, source, tag string) error {
	d, err := c.Get(ctx, source)
	if err != nil {
		return err
	}
	t, err := c.ParseReference(tag)
	if err != nil {
		return err
	}
	return c.classifyErr(t.String(), remote.Put(t, d, c.RemoteOptions(ctx)...))
}

func (c *Client) classifyErr(ref string, err error) error {
	if err == nil {
		return nil
	}
	r, perr := c.ParseReference(ref)
	if perr != nil {
		return err
	}
	return c.classify(r, err)
}

// RepositoryExists reports whether the registry knows the repository at all (a
// repository whose tags were all deleted still exists).
func (c *Client) RepositoryExists(ctx context.Context, repo string) (bool, error) {
	r, err := c.ParseReference(repo + ":latest")
	if err != nil {
		return false, err
	}
	_, err = remote.List(r.Context(), c.RemoteOptions(ctx)...)
	if err == nil {
		return true, nil
	}
	if err = c.classify(r, err); errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return false, err
}
