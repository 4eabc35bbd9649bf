package registry

import (
	"context"
	"fmt"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// ImageConfig is what one platform's image says about how it runs. Environment values
// are left out on purpose: they may be secrets; only the names are kept.
type ImageConfig struct {
	Platform     string
	Digest       string // the image manifest
	User         string
	Entrypoint   []string
	Cmd          []string
	EnvNames     []string
	Labels       map[string]string
	Healthcheck  []string // the test command; nil when none, ["NONE"] when disabled
	ExposedPorts []string
	WorkingDir   string
	StopSignal   string
	Created      string // RFC 3339
	Layers       int
	SizeBytes    int64 // compressed layers plus config: what a node pulls
}

// Image is a resolved reference: the digest it points at and every platform's config.
type Image struct {
	Ref       string // as given
	Digest    string
	MediaType string
	Repo      string // registry/repository, for repo@digest
	Platforms []ImageConfig
}

// Describe resolves ref and reads the config of every platform it holds; with platform
// set, only that one (an error when the image does not have it).
func (c *Client) Describe(ctx context.Context, ref, platform string) (*Image, error) {
	r, err := c.ParseReference(ref)
	if err != nil {
		return nil, err
	}
	d, err := c.Get(ctx, ref)
	if err != nil {
		return nil, err
	}
	out := &Image{Ref: ref, Digest: d.Digest.String(), MediaType: string(d.MediaType), Repo: r.Context().Name()}
	if d.MediaType.IsIndex() {
		idx, err := d.ImageIndex()
		if err != nil {
			return nil, err
		}
		im, err := idx.IndexManifest()
		if err != nil {
			return nil, err
		}
		var have []string
		for _, md := range im.Manifests {
			p := PlatformString(md.Platform)
			if isAttestation(md) || p == "" {
				continue
			}
			have = append(have, p)
			if platform != "" && !platformMatches(platform, p) {
				continue
			}
			img, err := idx.Image(md.Digest)
			if err != nil {
				return nil, c.classify(r, err)
			}
			cfg, err := imageConfig(img, p, md.Digest.String())
			if err != nil {
				return nil, fmt.Errorf("%s (%s): %w", ref, p, err)
			}
			out.Platforms = append(out.Platforms, *cfg)
		}
		if platform != "" && len(out.Platforms) == 0 {
			return nil, &Error{Ref: ref, Kind: ErrNotFound, Err: fmt.Errorf("no %s image in the index; it has %s", platform, strings.Join(have, ", "))}
		}
		return out, nil
	}
	img, err := d.Image()
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	p := configPlatform(cf)
	if platform != "" && !platformMatches(platform, p) {
		return nil, &Error{Ref: ref, Kind: ErrNotFound, Err: fmt.Errorf("the image is %s only, not %s", p, platform)}
	}
	cfg, err := imageConfig(img, p, out.Digest)
	if err != nil {
		return nil, err
	}
	out.Platforms = append(out.Platforms, *cfg)
	return out, nil
}

// platformMatches compares "os/arch[/variant]", treating arm64 and arm64/v8 alike.
func platformMatches(want, have string) bool {
	norm := func(s string) string { return strings.TrimSuffix(strings.ToLower(s), "/v8") }
	return norm(want) == norm(have)
}

func imageConfig(img v1.Image, platform, digest string) (*ImageConfig, error) {
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	mf, err := img.Manifest()
	if err != nil {
		return nil, err
	}
	c := &ImageConfig{
		Platform:   platform,
		Digest:     digest,
		User:       cf.Config.User,
		Entrypoint: cf.Config.Entrypoint,
		Cmd:        cf.Config.Cmd,
		Labels:     cf.Config.Labels,
		WorkingDir: cf.Config.WorkingDir,
		StopSignal: cf.Config.StopSignal,
		Layers:     len(mf.Layers),
		SizeBytes:  mf.Config.Size,
	}
	if !cf.Created.IsZero() {
		c.Created = cf.Created.UTC().Format("2006-01-02T15:04:05Z07:00")
	}
	for _, e := range cf.Config.Env {
		name, _, _ := strings.Cut(e, "=")
		c.EnvNames = append(c.EnvNames, name)
	}
	if hc := cf.Config.Healthcheck; hc != nil {
		c.Healthcheck = hc.Test
	}
	for p := range cf.Config.ExposedPorts {
		c.ExposedPorts = append(c.ExposedPorts, p)
	}
	sort.Strings(c.ExposedPorts)
	for _, l := range mf.Layers {
		c.SizeBytes += l.Size
	}
	return c, nil
}
