package build

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/docker/cli/cli/config/types"
	"github.com/moby/buildkit/client"
	gatewaypb "github.com/moby/buildkit/frontend/gateway/pb"
	"github.com/moby/buildkit/session/auth/authprovider"
	"github.com/moby/buildkit/session/secrets/secretsprovider"
	"github.com/moby/buildkit/session/sshforward/sshprovider"
	"github.com/moby/buildkit/solver/errdefs"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
	"github.com/tonistiigi/fsutil"
)

// CredentialsFunc answers BuildKit's registry auth requests for host.
type CredentialsFunc func(ctx context.Context, host string) (types.AuthConfig, error)

// SolveOptions carry what a solve needs besides the request.
type SolveOptions struct {
	Credentials CredentialsFunc // default: anonymous
	Progress    ProgressFunc    // default: discard
}

// Result is what a solve produced.
type Result struct {
	// Digest is what the tags point at: the index for multi-platform or attested builds,
	// the image manifest otherwise.
	Digest    string
	MediaType string
	// ExporterResponse is BuildKit's exporter response, for the metadata attribute.
	ExporterResponse map[string]string
	CachedSteps      int
	TotalSteps       int
}

// AnnotationContextDigest is set on the pushed index/manifest so that an imported image
// can be compared with its configuration without rebuilding.
const AnnotationContextDigest = "dev.prodimage.context-digest"

// Solve runs one BuildKit solve (dockerfile.v0 frontend) for every platform and pushes
// every tag. Cancelling ctx cancels the solve on the daemon.
func (b *Builder) Solve(ctx context.Context, req *Request, o SolveOptions) (*Result, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	c, err := b.Client(ctx)
	if err != nil {
		return nil, err
	}
	opt, cleanup, err := solveOpt(req, o)
	if err != nil {
		return nil, err
	}
	defer cleanup()

	tr := newTracker(maskedProgress(o.Progress, req.Secrets))
	ch := make(chan *client.SolveStatus)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for s := range ch {
			tr.update(s)
		}
	}()
	resp, err := c.Solve(ctx, nil, *opt, ch)
	<-done
	cached, total := tr.counts()
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			// Cancelled or timed out on our side: say so, not "unreachable".
			return nil, fmt.Errorf("%w (BuildKit: %v)", ctxErr, maskErr(err, req.Secrets))
		}
		return nil, classifySolveError(b, req, tr, err)
	}
	res := &Result{ExporterResponse: resp.ExporterResponse, CachedSteps: cached, TotalSteps: total}
	res.Digest = resp.ExporterResponse["containerimage.digest"]
	if raw := resp.ExporterResponse["containerimage.descriptor"]; raw != "" {
		if dt, err := base64.StdEncoding.DecodeString(raw); err == nil {
			var desc ocispecs.Descriptor
			if json.Unmarshal(dt, &desc) == nil {
				res.MediaType = desc.MediaType
				if res.Digest == "" {
					res.Digest = desc.Digest.String()
				}
			}
		}
	}
	if res.Digest == "" {
		return nil, fmt.Errorf("BuildKit finished but returned no image digest (exporter response keys: %s)", strings.Join(sortedKeys(resp.ExporterResponse), ", "))
	}
	return res, nil
}

func solveOpt(req *Request, o SolveOptions) (*client.SolveOpt, func(), error) {
	cleanup := func() {}
	ctxDir, err := filepath.Abs(req.ContextDir)
	if err != nil {
		return nil, cleanup, err
	}
	ctxFS, err := fsutil.NewFS(ctxDir)
	if err != nil {
		return nil, cleanup, fmt.Errorf("context %s: %w", ctxDir, err)
	}
	var dfDir, dfName string
	if req.DockerfileInline != "" {
		tmp, err := os.MkdirTemp("", "prodimage-dockerfile-")
		if err != nil {
			return nil, cleanup, err
		}
		cleanup = func() { os.RemoveAll(tmp) }
		dfDir, dfName = tmp, "Dockerfile"
		if err := os.WriteFile(filepath.Join(tmp, dfName), []byte(req.DockerfileInline), 0o600); err != nil {
			return nil, cleanup, err
		}
	} else {
		p := req.Dockerfile
		if p == "" {
			p = "Dockerfile"
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(ctxDir, p)
		}
		dfDir, dfName = filepath.Dir(p), filepath.Base(p)
	}
	dfFS, err := fsutil.NewFS(dfDir)
	if err != nil {
		return nil, cleanup, fmt.Errorf("dockerfile folder %s: %w", dfDir, err)
	}

	attrs := map[string]string{"filename": dfName}
	if req.Target != "" {
		attrs["target"] = req.Target
	}
	if len(req.Platforms) > 0 {
		attrs["platform"] = strings.Join(req.Platforms, ",")
	}
	for _, k := range sortedKeys(req.BuildArgs) {
		attrs["build-arg:"+k] = req.BuildArgs[k]
	}
	for _, k := range sortedKeys(req.Labels) {
		attrs["label:"+k] = req.Labels[k]
	}
	if req.NoCache {
		attrs["no-cache"] = ""
	}
	if req.Pull {
		attrs["image-resolve-mode"] = "pull"
	}
	if req.Provenance == "min" || req.Provenance == "max" {
		attrs["attest:provenance"] = "mode=" + req.Provenance
	}
	if req.SBOM {
		attrs["attest:sbom"] = ""
	}
	if req.SourceDateEpoch != nil {
		attrs["build-arg:SOURCE_DATE_EPOCH"] = epochString(req.SourceDateEpoch)
	}

	mounts := map[string]fsutil.FS{"context": ctxFS, "dockerfile": dfFS}
	for _, name := range sortedKeys(req.NamedContexts) {
		v := req.NamedContexts[name]
		if isRemoteContext(v) {
			attrs["context:"+name] = v
			continue
		}
		dir, err := filepath.Abs(v)
		if err != nil {
			return nil, cleanup, err
		}
		fs, err := fsutil.NewFS(dir)
		if err != nil {
			return nil, cleanup, fmt.Errorf("named context %q: %s is neither a directory nor docker-image://, https:// or git:// (%w)", name, v, err)
		}
		key := "named-" + name
		mounts[key] = fs
		attrs["context:"+name] = "local:" + key
	}

	exp := map[string]string{
		"name":           strings.Join(req.Tags, ","),
		"push":           "true",
		"oci-mediatypes": "true",
	}
	if req.PushByDigest {
		// Every repository gets the image, none of the tags moves: the caller checks
		// the pushed image and tags it afterwards.
		exp["push-by-digest"] = "true"
		var repos []string
		seen := map[string]bool{}
		for _, t := range req.Tags {
			if r := repositoryOf(t); !seen[r] {
				seen[r] = true
				repos = append(repos, r)
			}
		}
		exp["name"] = strings.Join(repos, ",")
	}
	if req.Insecure {
		exp["registry.insecure"] = "true"
	}
	if req.SourceDateEpoch != nil {
		exp["rewrite-timestamp"] = "true"
	}
	index := len(req.Platforms) > 1 || req.Provenance == "min" || req.Provenance == "max" || req.SBOM
	for _, k := range sortedKeys(req.Annotations) {
		exp["annotation-manifest."+k] = req.Annotations[k]
		if index {
			exp["annotation-index."+k] = req.Annotations[k]
		}
	}

	opt := &client.SolveOpt{
		Frontend:      "dockerfile.v0",
		FrontendAttrs: attrs,
		LocalMounts:   mounts,
		Exports:       []client.ExportEntry{{Type: client.ExporterImage, Attrs: exp}},
	}
	for _, c := range req.CacheFrom {
		a, _ := parseCacheSpec(c)
		opt.CacheImports = append(opt.CacheImports, client.CacheOptionsEntry{Type: a["type"], Attrs: withoutType(a)})
	}
	for _, c := range req.CacheTo {
		a, _ := parseCacheSpec(c)
		opt.CacheExports = append(opt.CacheExports, client.CacheOptionsEntry{Type: a["type"], Attrs: withoutType(a)})
	}

	creds := o.Credentials
	if creds == nil {
		creds = func(context.Context, string) (types.AuthConfig, error) { return types.AuthConfig{}, nil }
	}
	opt.Session = append(opt.Session, authprovider.NewDockerAuthProvider(authprovider.DockerAuthProviderConfig{
		AuthConfigProvider: func(ctx context.Context, host string, _ []string, _ authprovider.ExpireCachedAuthCheck) (types.AuthConfig, error) {
			return creds(ctx, host)
		},
		// Credentials come fresh from the provider's keychain on every request.
		ExpireCachedAuth: func(time.Time, string) bool { return true },
	}))
	secretMap := map[string][]byte{}
	for _, s := range req.Secrets {
		secretMap[s.ID] = s.Value
	}
	opt.Session = append(opt.Session, secretsprovider.FromMap(secretMap))
	if len(req.SSH) > 0 {
		var confs []sshprovider.AgentConfig
		for _, s := range req.SSH {
			id := s.ID
			if id == "" {
				id = "default"
			}
			confs = append(confs, sshprovider.AgentConfig{ID: id, Paths: s.Paths})
		}
		sp, err := sshprovider.NewSSHAgentProvider(confs)
		if err != nil {
			return nil, cleanup, fmt.Errorf("ssh: %w", err)
		}
		opt.Session = append(opt.Session, sp)
	}
	return opt, cleanup, nil
}

func withoutType(a map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		if k != "type" {
			out[k] = v
		}
	}
	return out
}

func isRemoteContext(v string) bool {
	for _, p := range []string{"docker-image://", "oci-layout://", "https://", "http://", "git://", "git@", "target:"} {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	return false
}

// repositoryOf strips the tag and digest from a reference.
func repositoryOf(ref string) string {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i]
	}
	return ref
}

// maskedProgress replaces secret values in every event before the caller sees it.
func maskedProgress(p ProgressFunc, secrets []Secret) ProgressFunc {
	if p == nil {
		return nil
	}
	return func(e Event) {
		e.Message = Mask(e.Message, secrets)
		e.Vertex = Mask(e.Vertex, secrets)
		p(e)
	}
}

// Mask replaces every secret value found in s.
func Mask(s string, secrets []Secret) string {
	for _, sec := range secrets {
		v := strings.TrimSpace(string(sec.Value))
		if len(v) >= 4 && strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, "****")
		}
	}
	return s
}

// FailedError is a build step that failed: where, what, how, and what it printed.
type FailedError struct {
	File        string   // Dockerfile name as BuildKit knows it
	Line        int      // 0 when unknown
	Instruction string   // the Dockerfile text of the failing instruction
	Step        string   // BuildKit's step name
	ExitCode    int      // -1 when not a process exit
	Output      []string // last lines the step printed
	Err         error
}

func (e *FailedError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "%s:%d: ", e.File, e.Line)
	}
	if e.Instruction != "" {
		fmt.Fprintf(&b, "%s: ", e.Instruction)
	}
	if e.ExitCode >= 0 {
		fmt.Fprintf(&b, "exit code %d: ", e.ExitCode)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *FailedError) Unwrap() error { return e.Err }

// PushDeniedError: the registry refused the push.
type PushDeniedError struct {
	Registry string
	Err      error
}

func (e *PushDeniedError) Error() string {
	return fmt.Sprintf("push to %s denied: %v", e.Registry, e.Err)
}

func (e *PushDeniedError) Unwrap() error { return e.Err }

func classifySolveError(b *Builder, req *Request, tr *tracker, err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	if ue := b.wrapConnErr(err); ue != err {
		return ue
	}
	msg := strings.ToLower(err.Error())
	step, tail, _ := tr.failed()
	lstep := strings.ToLower(step)
	authy := strings.Contains(msg, "401 unauthorized") || strings.Contains(msg, "403 forbidden") ||
		strings.Contains(msg, "insufficient_scope") || strings.Contains(msg, "authorization failed") ||
		strings.Contains(msg, "unauthorized") || strings.Contains(msg, "denied")
	if authy && (strings.Contains(lstep, "export") || strings.Contains(lstep, "push") || strings.Contains(msg, "failed to push") || strings.Contains(msg, "push")) {
		host := repositoryOf(req.Tags[0])
		if i := strings.Index(host, "/"); i >= 0 {
			host = host[:i]
		}
		return &PushDeniedError{Registry: host, Err: maskErr(err, req.Secrets)}
	}
	fe := &FailedError{Step: step, Output: tail, ExitCode: -1, Err: maskErr(err, req.Secrets)}
	for i := range fe.Output {
		fe.Output[i] = Mask(fe.Output[i], req.Secrets)
	}
	var ee *gatewaypb.ExitError
	if errors.As(err, &ee) {
		fe.ExitCode = int(ee.ExitCode)
	}
	if srcs := errdefs.Sources(err); len(srcs) > 0 {
		s := srcs[len(srcs)-1]
		if s.Info != nil {
			fe.File = s.Info.Filename
			if len(s.Ranges) > 0 {
				start, end := int(s.Ranges[0].Start.Line), int(s.Ranges[0].End.Line)
				fe.Line = start
				lines := strings.Split(string(s.Info.Data), "\n")
				if start >= 1 && start <= len(lines) {
					if end < start || end > len(lines) {
						end = start
					}
					fe.Instruction = Mask(strings.TrimSpace(strings.Join(lines[start-1:end], "\n")), req.Secrets)
				}
			}
		}
	}
	if fe.Instruction == "" {
		fe.Instruction = step
	}
	return fe
}

type maskedError struct {
	msg string
	err error
}

func (m *maskedError) Error() string { return m.msg }
func (m *maskedError) Unwrap() error { return m.err }

func maskErr(err error, secrets []Secret) error {
	msg := err.Error()
	if masked := Mask(msg, secrets); masked != msg {
		return &maskedError{msg: masked, err: err}
	}
	return err
}
