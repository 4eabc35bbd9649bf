package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/prodimage/terraform-provider-prodimage/internal/build"
	"github.com/prodimage/terraform-provider-prodimage/internal/buildctx"
)

type buildModel struct {
	// Inputs.
	Context          types.String      `tfsdk:"context"`
	Dockerfile       types.String      `tfsdk:"dockerfile"`
	DockerfileInline types.String      `tfsdk:"dockerfile_inline"`
	Target           types.String      `tfsdk:"target"`
	Platforms        types.List        `tfsdk:"platforms"`
	Tags             types.List        `tfsdk:"tags"`
	BuildArgs        types.Map         `tfsdk:"build_args"`
	Labels           types.Map         `tfsdk:"labels"`
	Annotations      types.Map         `tfsdk:"annotations"`
	OCILabels        types.Bool        `tfsdk:"oci_labels"`
	Secrets          types.Map         `tfsdk:"secrets"`
	SSH              types.List        `tfsdk:"ssh"`
	Contexts         types.Map         `tfsdk:"contexts"`
	CacheFrom        types.List        `tfsdk:"cache_from"`
	CacheTo          types.List        `tfsdk:"cache_to"`
	NoCache          types.Bool        `tfsdk:"no_cache"`
	Pull             types.Bool        `tfsdk:"pull"`
	SourceDateEpoch  types.String      `tfsdk:"source_date_epoch"`
	Provenance       types.String      `tfsdk:"provenance"`
	SBOM             types.Bool        `tfsdk:"sbom"`
	Triggers         types.Map         `tfsdk:"triggers"`
	DeleteOnDestroy  types.Bool        `tfsdk:"delete_on_destroy"`
	PinBaseImages    types.Bool        `tfsdk:"pin_base_images"`
	Policy           *buildPolicyModel `tfsdk:"policy"`
	Timeouts         timeouts.Value    `tfsdk:"timeouts"`

	// Computed.
	ID              types.String `tfsdk:"id"`
	Digest          types.String `tfsdk:"digest"`
	ImageRef        types.String `tfsdk:"image_ref"`
	Refs            types.Map    `tfsdk:"refs"`
	PlatformDigests types.Map    `tfsdk:"platform_digests"`
	ContextDigest   types.String `tfsdk:"context_digest"`
	Metadata        types.String `tfsdk:"metadata"`
	BaseImages      types.Map    `tfsdk:"base_images"`
}

type secretModel struct {
	Value types.String `tfsdk:"value"`
	Env   types.String `tfsdk:"env"`
	File  types.String `tfsdk:"file"`
}

var secretAttrTypes = map[string]attr.Type{
	"value": types.StringType,
	"env":   types.StringType,
	"file":  types.StringType,
}

// secretRef is a secret without its value: what may be stored and compared.
type secretRef struct {
	Env  string `json:"env,omitempty"`
	File string `json:"file,omitempty"`
}

// buildInputs is every non-secret input of a build as plain Go values. It is compared at
// plan time, and stored on the pushed image (as an annotation) so that an import can
// restore the configuration that built it.
type buildInputs struct {
	Context          string               `json:"context"`
	Dockerfile       *string              `json:"dockerfile,omitempty"`
	DockerfileInline *string              `json:"dockerfile_inline,omitempty"`
	Target           *string              `json:"target,omitempty"`
	Platforms        []string             `json:"platforms,omitempty"`
	Tags             []string             `json:"tags"`
	BuildArgs        map[string]string    `json:"build_args,omitempty"`
	Labels           map[string]string    `json:"labels,omitempty"`
	Annotations      map[string]string    `json:"annotations,omitempty"`
	OCILabels        *bool                `json:"oci_labels,omitempty"`
	Secrets          map[string]secretRef `json:"secrets,omitempty"`
	SSH              []string             `json:"ssh,omitempty"`
	Contexts         map[string]string    `json:"contexts,omitempty"`
	CacheFrom        []string             `json:"cache_from,omitempty"`
	CacheTo          []string             `json:"cache_to,omitempty"`
	NoCache          *bool                `json:"no_cache,omitempty"`
	Pull             *bool                `json:"pull,omitempty"`
	SourceDateEpoch  *string              `json:"source_date_epoch,omitempty"`
	Provenance       *string              `json:"provenance,omitempty"`
	SBOM             *bool                `json:"sbom,omitempty"`
	Triggers         map[string]string    `json:"triggers,omitempty"`
	DeleteOnDestroy  *bool                `json:"delete_on_destroy,omitempty"`
	PinBaseImages    *bool                `json:"pin_base_images,omitempty"`
}

func strPtr(v types.String) *string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	s := v.ValueString()
	return &s
}

func boolPtr(v types.Bool) *bool {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	b := v.ValueBool()
	return &b
}

func strList(ctx context.Context, v types.List, diags *diag.Diagnostics) []string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	var out []string
	diags.Append(v.ElementsAs(ctx, &out, false)...)
	return out
}

func strMap(ctx context.Context, v types.Map, diags *diag.Diagnostics) map[string]string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	out := map[string]string{}
	diags.Append(v.ElementsAs(ctx, &out, false)...)
	return out
}

func (m *buildModel) secrets(ctx context.Context, diags *diag.Diagnostics) map[string]secretModel {
	if m.Secrets.IsNull() || m.Secrets.IsUnknown() {
		return nil
	}
	out := map[string]secretModel{}
	diags.Append(m.Secrets.ElementsAs(ctx, &out, false)...)
	return out
}

func (m *buildModel) inputs(ctx context.Context, diags *diag.Diagnostics) *buildInputs {
	in := &buildInputs{
		Context:          m.Context.ValueString(),
		Dockerfile:       strPtr(m.Dockerfile),
		DockerfileInline: strPtr(m.DockerfileInline),
		Target:           strPtr(m.Target),
		Platforms:        strList(ctx, m.Platforms, diags),
		Tags:             strList(ctx, m.Tags, diags),
		BuildArgs:        strMap(ctx, m.BuildArgs, diags),
		Labels:           strMap(ctx, m.Labels, diags),
		Annotations:      strMap(ctx, m.Annotations, diags),
		OCILabels:        boolPtr(m.OCILabels),
		SSH:              strList(ctx, m.SSH, diags),
		Contexts:         strMap(ctx, m.Contexts, diags),
		CacheFrom:        strList(ctx, m.CacheFrom, diags),
		CacheTo:          strList(ctx, m.CacheTo, diags),
		NoCache:          boolPtr(m.NoCache),
		Pull:             boolPtr(m.Pull),
		SourceDateEpoch:  strPtr(m.SourceDateEpoch),
		Provenance:       strPtr(m.Provenance),
		SBOM:             boolPtr(m.SBOM),
		Triggers:         strMap(ctx, m.Triggers, diags),
		DeleteOnDestroy:  boolPtr(m.DeleteOnDestroy),
		PinBaseImages:    boolPtr(m.PinBaseImages),
	}
	if s := m.secrets(ctx, diags); s != nil {
		in.Secrets = map[string]secretRef{}
		for id, v := range s {
			in.Secrets[id] = secretRef{Env: v.Env.ValueString(), File: v.File.ValueString()}
		}
	}
	return in
}

func strVal(p *string) types.String {
	if p == nil {
		return types.StringNull()
	}
	return types.StringValue(*p)
}

func boolVal(p *bool) types.Bool {
	if p == nil {
		return types.BoolNull()
	}
	return types.BoolValue(*p)
}

func listVal(v []string) types.List {
	if v == nil {
		return types.ListNull(types.StringType)
	}
	elems := make([]attr.Value, len(v))
	for i, s := range v {
		elems[i] = types.StringValue(s)
	}
	return types.ListValueMust(types.StringType, elems)
}

func mapVal(v map[string]string) types.Map {
	if v == nil {
		return types.MapNull(types.StringType)
	}
	elems := make(map[string]attr.Value, len(v))
	for k, s := range v {
		elems[k] = types.StringValue(s)
	}
	return types.MapValueMust(types.StringType, elems)
}

// apply writes inputs back into the model (used by import).
func (in *buildInputs) apply(m *buildModel) {
	m.Context = types.StringValue(in.Context)
	m.Dockerfile = strVal(in.Dockerfile)
	m.DockerfileInline = strVal(in.DockerfileInline)
	m.Target = strVal(in.Target)
	m.Platforms = listVal(in.Platforms)
	m.Tags = listVal(in.Tags)
	m.BuildArgs = mapVal(in.BuildArgs)
	m.Labels = mapVal(in.Labels)
	m.Annotations = mapVal(in.Annotations)
	m.OCILabels = boolVal(in.OCILabels)
	m.SSH = listVal(in.SSH)
	m.Contexts = mapVal(in.Contexts)
	m.CacheFrom = listVal(in.CacheFrom)
	m.CacheTo = listVal(in.CacheTo)
	m.NoCache = boolVal(in.NoCache)
	m.Pull = boolVal(in.Pull)
	m.SourceDateEpoch = strVal(in.SourceDateEpoch)
	m.Provenance = strVal(in.Provenance)
	m.SBOM = boolVal(in.SBOM)
	m.Triggers = mapVal(in.Triggers)
	m.DeleteOnDestroy = boolVal(in.DeleteOnDestroy)
	m.PinBaseImages = boolVal(in.PinBaseImages)
	if in.Secrets == nil {
		m.Secrets = types.MapNull(types.ObjectType{AttrTypes: secretAttrTypes})
	} else {
		elems := map[string]attr.Value{}
		for id, s := range in.Secrets {
			env, file := types.StringNull(), types.StringNull()
			if s.Env != "" {
				env = types.StringValue(s.Env)
			}
			if s.File != "" {
				file = types.StringValue(s.File)
			}
			elems[id] = types.ObjectValueMust(secretAttrTypes, map[string]attr.Value{"value": types.StringNull(), "env": env, "file": file})
		}
		m.Secrets = types.MapValueMust(types.ObjectType{AttrTypes: secretAttrTypes}, elems)
	}
}

func (in *buildInputs) secretIDs() []string {
	ids := make([]string, 0, len(in.Secrets))
	for id := range in.Secrets {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// ctxInput is what the plan-time context digest covers. Tags, labels and the other
// inputs are compared as attributes; they need not be in the digest.
func (in *buildInputs) ctxInput() buildctx.Input {
	bi := buildctx.Input{
		ContextDir:    in.Context,
		NamedContexts: in.Contexts,
		BuildArgs:     in.BuildArgs,
		Platforms:     in.Platforms,
		SecretIDs:     in.secretIDs(),
	}
	if in.Dockerfile != nil {
		bi.Dockerfile = *in.Dockerfile
	}
	if in.DockerfileInline != nil {
		bi.DockerfileInline = *in.DockerfileInline
	}
	if in.Target != nil {
		bi.Target = *in.Target
	}
	return bi
}

// resolveEpoch turns source_date_epoch into seconds: a number, or "git" for the commit
// time of the context's HEAD.
func resolveEpoch(in *buildInputs) (*int64, error) {
	if in.SourceDateEpoch == nil || *in.SourceDateEpoch == "" {
		return nil, nil
	}
	v := strings.TrimSpace(*in.SourceDateEpoch)
	if v == "git" {
		out, err := gitOutput(in.Context, "log", "-1", "--format=%ct")
		if err != nil {
			return nil, fmt.Errorf("source_date_epoch = \"git\" needs the context %s to be inside a git checkout with a commit: %w", in.Context, err)
		}
		v = out
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return nil, fmt.Errorf("source_date_epoch %q is neither a number of seconds since 1970 nor \"git\"", *in.SourceDateEpoch)
	}
	return &n, nil
}

func gitOutput(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	out, err := cmd.Output()
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// gitSource returns the origin URL without any credentials in it.
func gitSource(dir string) string {
	u, err := gitOutput(dir, "config", "--get", "remote.origin.url")
	if err != nil || u == "" {
		return ""
	}
	if i := strings.Index(u, "://"); i >= 0 {
		rest := u[i+3:]
		if at := strings.Index(rest, "@"); at >= 0 && at < strings.IndexAny(rest+"/", "/") {
			u = u[:i+3] + rest[at+1:]
		}
	}
	if strings.HasPrefix(u, "git@") { // scp-like: git@github.com:org/repo.git
		if host, path, ok := strings.Cut(strings.TrimPrefix(u, "git@"), ":"); ok {
			u = "https://" + host + "/" + path
		}
	}
	return strings.TrimSuffix(u, ".git")
}

// automaticLabels are the OCI labels prodimage adds unless oci_labels = false.
func automaticLabels(in *buildInputs, epoch *int64) map[string]string {
	l := map[string]string{}
	created := time.Now().UTC()
	if epoch != nil {
		created = time.Unix(*epoch, 0).UTC()
	}
	l["org.opencontainers.image.created"] = created.Format(time.RFC3339)
	if rev, err := gitOutput(in.Context, "rev-parse", "HEAD"); err == nil && rev != "" {
		l["org.opencontainers.image.revision"] = rev
	}
	if src := gitSource(in.Context); src != "" {
		l["org.opencontainers.image.source"] = src
	}
	if len(in.Tags) > 0 {
		if v := tagOf(in.Tags[0]); v != "" {
			l["org.opencontainers.image.version"] = v
		}
	}
	return l
}

func tagOf(ref string) string {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		return ref[i+1:]
	}
	return ""
}

func repoOf(ref string) string {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		return ref[:i]
	}
	return ref
}

func hostOf(ref string) string {
	if i := strings.Index(ref, "/"); i >= 0 {
		h := ref[:i]
		if strings.ContainsAny(h, ".:") || h == "localhost" {
			return h
		}
	}
	return "docker.io"
}

// parseSSH reads "id=path1,path2", "id" or "default".
func parseSSH(specs []string) []build.SSH {
	var out []build.SSH
	for _, s := range specs {
		id, paths, _ := strings.Cut(s, "=")
		var ps []string
		for _, p := range strings.Split(paths, ",") {
			if p = strings.TrimSpace(p); p != "" {
				ps = append(ps, p)
			}
		}
		out = append(out, build.SSH{ID: strings.TrimSpace(id), Paths: ps})
	}
	return out
}

func mergeMaps(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func absContext(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
