package build

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"

	"github.com/moby/buildkit/client"
	_ "github.com/moby/buildkit/client/connhelper/dockercontainer" // docker-container://
	_ "github.com/moby/buildkit/client/connhelper/kubepod"         // kube-pod://
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"
)

// DefaultAddress is used when neither the configuration nor BUILDKIT_HOST names a daemon.
const DefaultAddress = "unix:///run/buildkit/buildkitd.sock"

// TLS configures mutual TLS for tcp:// daemons. Each field holds PEM text or a file path.
type TLS struct {
	CACert     string
	Cert       string
	Key        string
	ServerName string
}

// ConnectOptions say how to reach BuildKit.
type ConnectOptions struct {
	// Address of the daemon. Default: $BUILDKIT_HOST, else DefaultAddress.
	Address string
	// TLS, only for tcp:// addresses. Default: plain connection.
	TLS *TLS
}

// ResolvedAddress applies the defaults.
func (o ConnectOptions) ResolvedAddress() string {
	if o.Address != "" {
		return o.Address
	}
	if env := os.Getenv("BUILDKIT_HOST"); env != "" {
		return env
	}
	return DefaultAddress
}

var supportedSchemes = []string{"unix", "tcp", "docker-container", "kube-pod"}

// Validate checks the address and the TLS block, reporting every problem at once.
func (o ConnectOptions) Validate() error {
	addr := o.ResolvedAddress()
	u, err := url.Parse(addr)
	if err != nil || u.Scheme == "" {
		return fmt.Errorf("builder address %q is not a URL; use one of %s, e.g. unix:///run/buildkit/buildkitd.sock or tcp://127.0.0.1:1234", addr, schemesList())
	}
	known := false
	for _, s := range supportedSchemes {
		known = known || u.Scheme == s
	}
	if !known {
		return fmt.Errorf("builder address %q has scheme %q; use one of %s", addr, u.Scheme, schemesList())
	}
	if o.TLS == nil {
		return nil
	}
	var errs []error
	if u.Scheme != "tcp" {
		errs = append(errs, fmt.Errorf("builder tls is set but address %q is not tcp://; TLS applies to tcp:// daemons only", addr))
	}
	var missing []string
	if o.TLS.CACert == "" {
		missing = append(missing, "ca_cert")
	}
	if o.TLS.Cert == "" {
		missing = append(missing, "cert")
	}
	if o.TLS.Key == "" {
		missing = append(missing, "key")
	}
	if len(missing) > 0 {
		errs = append(errs, fmt.Errorf("builder tls is missing %s: mutual TLS needs ca_cert (the CA that signed buildkitd's certificate), cert and key (the client's certificate and key), each as PEM text or a file path", strings.Join(missing, ", ")))
	}
	if len(missing) == 0 {
		if _, err := o.tlsConfig(u.Hostname()); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func schemesList() string {
	return strings.Join(supportedSchemes, "://, ") + "://"
}

// pemOrFile returns v itself when it is PEM text, else the contents of the file it names.
func pemOrFile(field, v string) ([]byte, error) {
	if strings.Contains(v, "-----BEGIN") {
		return []byte(v), nil
	}
	b, err := os.ReadFile(v)
	if err != nil {
		return nil, fmt.Errorf("builder tls %s: %q is neither PEM text nor a readable file: %w", field, v, err)
	}
	return b, nil
}

func (o ConnectOptions) tlsConfig(host string) (*tls.Config, error) {
	var errs []error
	ca, err := pemOrFile("ca_cert", o.TLS.CACert)
	errs = append(errs, err)
	cert, err := pemOrFile("cert", o.TLS.Cert)
	errs = append(errs, err)
	key, err := pemOrFile("key", o.TLS.Key)
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		errs = append(errs, errors.New("builder tls ca_cert holds no PEM certificate"))
	}
	pair, err := tls.X509KeyPair(cert, key)
	if err != nil {
		errs = append(errs, fmt.Errorf("builder tls cert and key do not form a key pair: %w", err))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	serverName := o.TLS.ServerName
	if serverName == "" {
		serverName = host
	}
	return &tls.Config{
		RootCAs:      pool,
		Certificates: []tls.Certificate{pair},
		ServerName:   serverName,
		MinVersion:   tls.VersionTLS12,
	}, nil
}

// Builder is a lazily connected BuildKit client, shared by every resource of one provider
// instance. Nothing dials until the first call that needs the daemon, so configurations
// that only evaluate policies work with no daemon anywhere.
type Builder struct {
	opts ConnectOptions
	addr string

	mu     sync.Mutex
	client *client.Client
}

// NewBuilder validates the options; it does not connect.
func NewBuilder(o ConnectOptions) (*Builder, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return &Builder{opts: o, addr: o.ResolvedAddress()}, nil
}

// Address is the daemon address in use.
func (b *Builder) Address() string { return b.addr }

// Client returns the shared client, creating it on first use. A failed creation is not
// cached: the next call tries again.
func (b *Builder) Client(ctx context.Context) (*client.Client, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.client != nil {
		return b.client, nil
	}
	// One connection carries every build of the provider instance (ten resources in one
	// apply send ten contexts at once): larger HTTP/2 windows keep file sync from
	// stalling on flow control.
	opts := []client.ClientOpt{
		client.WithGRPCDialOption(grpc.WithInitialWindowSize(4 << 20)),
		client.WithGRPCDialOption(grpc.WithInitialConnWindowSize(16 << 20)),
	}
	if b.opts.TLS != nil {
		u, _ := url.Parse(b.addr)
		cfg, err := b.opts.tlsConfig(u.Hostname())
		if err != nil {
			return nil, err
		}
		cfg.NextProtos = []string{"h2"}
		// grpc-go insists that the authority match the TLS server name.
		opts = append(opts,
			client.WithGRPCDialOption(grpc.WithTransportCredentials(credentials.NewTLS(cfg))),
			client.WithGRPCDialOption(grpc.WithAuthority(cfg.ServerName)))
	}
	c, err := client.New(ctx, b.addr, opts...)
	if err != nil {
		return nil, &UnreachableError{Address: b.addr, Err: err}
	}
	b.client = c
	return c, nil
}

// Close releases the connection, if any.
func (b *Builder) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.client == nil {
		return nil
	}
	err := b.client.Close()
	b.client = nil
	return err
}

// UnreachableError means the daemon could not be reached at all.
type UnreachableError struct {
	Address string
	Err     error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("BuildKit at %s is unreachable: %v", e.Address, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// wrapConnErr turns transport-level gRPC failures into an UnreachableError.
func (b *Builder) wrapConnErr(err error) error {
	if err == nil {
		return nil
	}
	var ue *UnreachableError
	if errors.As(err, &ue) {
		return err
	}
	if st, ok := status.FromError(errors.Unwrap(err)); ok && (st.Code() == codes.Unavailable || st.Code() == codes.DeadlineExceeded) {
		return &UnreachableError{Address: b.addr, Err: err}
	}
	if st, ok := status.FromError(err); ok && (st.Code() == codes.Unavailable || st.Code() == codes.DeadlineExceeded) {
		return &UnreachableError{Address: b.addr, Err: err}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &UnreachableError{Address: b.addr, Err: err}
	}
	return err
}
