package registry

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// Options configure a Client.
type Options struct {
	// Auth holds explicit credentials; they win over the Docker config. Default none.
	Auth []Auth
	// Insecure lists hosts reached over plain HTTP or TLS without verification. Default none.
	Insecure []string
	// UserAgent is sent with every request. Default "prodimage".
	UserAgent string
}

// Client is safe for concurrent use; one serves a whole provider instance.
type Client struct {
	kc        *keychain
	insecure  map[string]bool
	transport http.RoundTripper
	userAgent string
}

var (
	// ErrNotFound: the registry has no such repository, tag or digest.
	ErrNotFound = errors.New("not found in registry")
	// ErrUnauthorized: the registry refused the credentials (401/403).
	ErrUnauthorized = errors.New("registry refused the credentials")
)

// New validates the options and builds the shared keychain and transport.
func New(o Options) (*Client, error) {
	kc, err := newKeychain(o.Auth)
	if err != nil {
		return nil, err
	}
	c := &Client{kc: kc, insecure: map[string]bool{}, userAgent: o.UserAgent}
	if c.userAgent == "" {
		c.userAgent = "prodimage"
	}
	for _, h := range o.Insecure {
		c.insecure[NormalizeHost(h)] = true
	}
	base := remote.DefaultTransport.(*http.Transport).Clone()
	insecureTLS := base.Clone()
	insecureTLS.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // only for hosts the user listed in insecure_registries
	c.transport = &hostTransport{insecure: c.insecure, secure: base, unverified: insecureTLS}
	return c, nil
}

// hostTransport skips TLS verification for the insecure hosts only.
type hostTransport struct {
	insecure   map[string]bool
	secure     http.RoundTripper
	unverified http.RoundTripper
}

func (t *hostTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.insecure[NormalizeHost(r.URL.Host)] {
		return t.unverified.RoundTrip(r)
	}
	return t.secure.RoundTrip(r)
}

// Keychain is the provider's keychain: explicit, then Docker config, then anonymous.
func (c *Client) Keychain() authn.Keychain { return c.kc }

// IsInsecure reports whether host was listed as insecure.
func (c *Client) IsInsecure(host string) bool { return c.insecure[NormalizeHost(host)] }

// InsecureHosts lists the insecure hosts, normalized.
func (c *Client) InsecureHosts() []string {
	out := make([]string, 0, len(c.insecure))
	for h := range c.insecure {
		out = append(out, h)
	}
	return out
}

// Credentials returns the credential for host and where it came from.
func (c *Client) Credentials(ctx context.Context, host string) (*authn.AuthConfig, Source, error) {
	a, src, err := c.kc.resolve(ctx, host)
	if err != nil {
		return nil, src, err
	}
	cfg, err := authn.Authorization(ctx, a)
	if err != nil {
		return nil, src, fmt.Errorf("reading credentials for %s from %s: %w", host, src, err)
	}
	return cfg, src, nil
}

// SourcesTried lists, for a diagnostic, where credentials for host were looked for.
func (c *Client) SourcesTried(host string) []string { return c.kc.sourcesTried(host) }

// ParseReference parses a tag or digest reference, allowing plain HTTP for insecure hosts.
func (c *Client) ParseReference(s string) (name.Reference, error) {
	ref, err := name.ParseReference(s)
	if err != nil {
		return nil, err
	}
	if c.IsInsecure(ref.Context().RegistryStr()) {
		return name.ParseReference(s, name.Insecure)
	}
	return ref, nil
}

// RemoteOptions are the options every registry call uses.
func (c *Client) RemoteOptions(ctx context.Context) []remote.Option {
	return []remote.Option{
		remote.WithContext(ctx),
		remote.WithAuthFromKeychain(c.kc),
		remote.WithTransport(c.transport),
		remote.WithUserAgent(c.userAgent),
	}
}

// Head returns the descriptor a reference points at, without fetching the manifest body.
func (c *Client) Head(ctx context.Context, ref string) (*v1.Descriptor, error) {
	r, err := c.ParseReference(ref)
	if err != nil {
		return nil, err
	}
	d, err := remote.Head(r, c.RemoteOptions(ctx)...)
	if err != nil {
		return nil, c.classify(r, err)
	}
	return d, nil
}

// Get fetches the manifest (or index) a reference points at.
func (c *Client) Get(ctx context.Context, ref string) (*remote.Descriptor, error) {
	r, err := c.ParseReference(ref)
	if err != nil {
		return nil, err
	}
	d, err := remote.Get(r, c.RemoteOptions(ctx)...)
	if err != nil {
		return nil, c.classify(r, err)
	}
	return d, nil
}

// Delete removes the manifest a reference points at. A reference already gone is not an error.
func (c *Client) Delete(ctx context.Context, ref string) error {
	r, err := c.ParseReference(ref)
	if err != nil {
		return err
	}
	if err := remote.Delete(r, c.RemoteOptions(ctx)...); err != nil {
		err = c.classify(r, err)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		return err
	}
	return nil
}

// classify wraps registry errors so that callers can use errors.Is with ErrNotFound and
// ErrUnauthorized; the original error stays in the chain.
func (c *Client) classify(ref name.Reference, err error) error {
	var te *transport.Error
	if errors.As(err, &te) {
		switch te.StatusCode {
		case http.StatusNotFound:
			return &Error{Ref: ref.String(), Kind: ErrNotFound, Err: err}
		case http.StatusUnauthorized, http.StatusForbidden:
			return &Error{Ref: ref.String(), Kind: ErrUnauthorized, Err: err, Sources: c.SourcesTried(ref.Context().RegistryStr())}
		}
		for _, d := range te.Errors {
			switch d.Code {
			case transport.ManifestUnknownErrorCode, transport.NameUnknownErrorCode, transport.BlobUnknownErrorCode:
				return &Error{Ref: ref.String(), Kind: ErrNotFound, Err: err}
			case transport.UnauthorizedErrorCode, transport.DeniedErrorCode:
				return &Error{Ref: ref.String(), Kind: ErrUnauthorized, Err: err, Sources: c.SourcesTried(ref.Context().RegistryStr())}
			}
		}
	}
	return err
}

// Error is a classified registry error.
type Error struct {
	Ref     string
	Kind    error
	Err     error
	Sources []string // auth sources tried, for ErrUnauthorized
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %v: %v", e.Ref, e.Kind, e.Err)
	if len(e.Sources) > 0 {
		msg += " (credentials tried: " + strings.Join(e.Sources, "; ") + ")"
	}
	return msg
}

func (e *Error) Unwrap() []error { return []error{e.Kind, e.Err} }
