package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/docker/cli/cli/config/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	tftypes "github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/prodimage/terraform-provider-prodimage/internal/build"
	"github.com/prodimage/terraform-provider-prodimage/internal/buildctx"
	"github.com/prodimage/terraform-provider-prodimage/internal/dockerfile"
	"github.com/prodimage/terraform-provider-prodimage/internal/registry"
)

var (
	_ resource.ResourceWithConfigure   = (*buildResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*buildResource)(nil)
	_ resource.ResourceWithImportState = (*buildResource)(nil)
)

// annotationInputs holds the JSON of buildInputs on the pushed image, for import;
// annotationBaseImages the pinned base images it was built from.
const (
	annotationInputs     = "dev.prodimage.inputs"
	annotationBaseImages = "dev.prodimage.base-images"
)

// NewBuildResource is the prodimage_build resource.
func NewBuildResource() resource.Resource { return &buildResource{} }

type buildResource struct {
	data *providerData
}

func (r *buildResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_build"
}

func (r *buildResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	pd, ok := providerDataFrom(req.ProviderData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Provider Data", fmt.Sprintf("got %T; this is a bug in prodimage", req.ProviderData))
		return
	}
	r.data = pd
}

// ModifyPlan computes context_digest and decides whether the image changes: only then
// are digest and image_ref unknown, so that downstream resources move exactly when the
// image does.
func (r *buildResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan buildModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !req.Plan.Raw.IsFullyKnown() && anyInputUnknown(&plan) {
		return // inputs known only at apply: everything computed stays unknown
	}
	in := plan.inputs(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(validateSecretsConfig(ctx, req)...)
	cres, diags := r.contextDigest(ctx, in)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Everything BuildKit would reject without running anything is reported now, at plan
	// time, with the file and line.
	df, diags := parseDockerfile(in, cres)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	pins, diags := r.pinBaseImages(ctx, in, df)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.BaseImages = mapVal(pins)
	if plan.Policy != nil {
		// The labels the build will add count as present.
		labels := mergeMaps(r.data.defaultLabels, in.Labels)
		if in.OCILabels == nil || *in.OCILabels {
			labels = mergeMaps(automaticLabels(in, nil), labels)
		}
		resp.Diagnostics.Append(checkPolicy(ctx, plan.Policy, in, cres, labels)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	digest := withBaseImages(cres.Digest, pins)
	plan.ContextDigest = tftypes.StringValue(digest)
	if len(in.Tags) > 0 {
		plan.ID = tftypes.StringValue(in.Tags[0])
	}

	if req.State.Raw.IsNull() {
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}
	var state buildModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	prior := state.inputs(ctx, &resp.Diagnostics)
	if needsBuild(in, prior) || state.ContextDigest.ValueString() != digest || state.Digest.ValueString() == "" {
		tflog.Info(ctx, "prodimage_build: inputs changed, the image will be rebuilt", map[string]any{
			"context_digest_before": state.ContextDigest.ValueString(), "context_digest_after": digest})
		plan.Digest = tftypes.StringUnknown()
		plan.ImageRef = tftypes.StringUnknown()
		plan.Refs = tftypes.MapUnknown(tftypes.StringType)
		plan.PlatformDigests = tftypes.MapUnknown(tftypes.StringType)
		plan.Metadata = tftypes.StringUnknown()
		if !state.BaseImages.Equal(plan.BaseImages) {
			tflog.Info(ctx, "prodimage_build: a base image moved upstream", map[string]any{"before": state.BaseImages.String(), "after": plan.BaseImages.String()})
		}
	} else {
		// Same image. Computed values stay known; refs say where every tag must point,
		// which differs from state only when a tag moved outside Terraform.
		plan.Digest = state.Digest
		plan.ImageRef = state.ImageRef
		plan.PlatformDigests = state.PlatformDigests
		plan.Metadata = state.Metadata
		plan.Refs = mapVal(expectedRefs(in.Tags, state.Digest.ValueString()))
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func anyInputUnknown(m *buildModel) bool {
	v := reflect.ValueOf(*m)
	for i := 0; i < v.NumField(); i++ {
		if u, ok := v.Field(i).Interface().(interface{ IsUnknown() bool }); ok && u.IsUnknown() {
			switch v.Type().Field(i).Tag.Get("tfsdk") {
			case "id", "digest", "image_ref", "refs", "platform_digests", "context_digest", "metadata", "base_images":
				continue
			}
			return true
		}
	}
	return false
}

// needsBuild compares every input that changes the image. delete_on_destroy only
// changes what destroy does.
func needsBuild(a, b *buildInputs) bool {
	ac, bc := *a, *b
	ac.DeleteOnDestroy, bc.DeleteOnDestroy = nil, nil
	return !reflect.DeepEqual(normalizeInputs(ac), normalizeInputs(bc))
}

// normalizeInputs treats an empty collection like an absent one.
func normalizeInputs(in buildInputs) buildInputs {
	if len(in.Platforms) == 0 {
		in.Platforms = nil
	}
	for _, m := range []*map[string]string{&in.BuildArgs, &in.Labels, &in.Annotations, &in.Contexts, &in.Triggers} {
		if len(*m) == 0 {
			*m = nil
		}
	}
	if len(in.Secrets) == 0 {
		in.Secrets = nil
	}
	for _, l := range []*[]string{&in.SSH, &in.CacheFrom, &in.CacheTo} {
		if len(*l) == 0 {
			*l = nil
		}
	}
	return in
}

func expectedRefs(tags []string, digest string) map[string]string {
	out := map[string]string{}
	for _, t := range tags {
		out[t] = t + "@" + digest
	}
	return out
}

func (r *buildResource) contextDigest(ctx context.Context, in *buildInputs) (*buildctx.Result, diag.Diagnostics) {
	var diags diag.Diagnostics
	start := time.Now()
	res, err := buildctx.Compute(ctx, in.ctxInput())
	if err != nil {
		diags.Append(diagContextError(in.Context, err))
		return nil, diags
	}
	tflog.Info(ctx, "prodimage_build: context digest computed", map[string]any{
		"context": in.Context, "files": res.Files, "bytes": res.Bytes, "digest": res.Digest, "elapsed": time.Since(start).String()})
	return res, diags
}

// parseDockerfile parses the Dockerfile the build will use and reports syntax errors and
// an unknown target as BuildKit would, but before anything runs.
func parseDockerfile(in *buildInputs, cres *buildctx.Result) (*dockerfile.File, diag.Diagnostics) {
	var diags diag.Diagnostics
	name := cres.DockerfileName
	if name == "" {
		name = "dockerfile_inline"
	}
	df := dockerfile.Parse(cres.Dockerfile, dockerfile.Options{BuildArgs: in.BuildArgs})
	if len(df.Errors) > 0 {
		var lines []string
		for _, e := range df.Errors {
			if e.Line > 0 {
				lines = append(lines, fmt.Sprintf("%s:%d: %s", name, e.Line, e.Message))
			} else {
				lines = append(lines, fmt.Sprintf("%s: %s", name, e.Message))
			}
		}
		diags.AddAttributeError(path.Root("dockerfile"), "Invalid Dockerfile", detail(
			"BuildKit cannot parse the Dockerfile:\n\n    "+strings.Join(lines, "\n    "),
			"Fix the lines named above and plan again.", nil))
		return nil, diags
	}
	target := ""
	if in.Target != nil {
		target = *in.Target
	}
	if _, err := df.Target(target); err != nil {
		diags.AddAttributeError(path.Root("target"), "Unknown Build Target", detail(
			fmt.Sprintf("%s: %v.", name, err),
			"Set target to one of the stage names (the `AS name` of a FROM line), or leave it unset to build the last stage.", nil))
		return nil, diags
	}
	return df, diags
}

// validateSecretsConfig checks that every secret names exactly one source. It reads the
// configuration: a write-only value is never in the plan.
func validateSecretsConfig(ctx context.Context, req resource.ModifyPlanRequest) diag.Diagnostics {
	var diags diag.Diagnostics
	var cfg buildModel
	diags.Append(req.Config.Get(ctx, &cfg)...)
	for id, s := range cfg.secrets(ctx, &diags) {
		n := 0
		for _, v := range []tftypes.String{s.Value, s.Env, s.File} {
			if !v.IsNull() {
				n++
			}
		}
		if n != 1 && !s.Value.IsUnknown() {
			diags.AddAttributeError(path.Root("secrets").AtMapKey(id), "Invalid Build Secret",
				fmt.Sprintf("Secret %q must set exactly one of value, env or file (it sets %d).", id, n))
		}
	}
	return diags
}

func (r *buildResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, cfg buildModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, 30*time.Minute)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	r.buildAndSet(ctx, &plan, &cfg, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *buildResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, cfg, state buildModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, 30*time.Minute)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	if !plan.Digest.IsUnknown() {
		// Same image: only re-point tags that moved outside Terraform.
		r.repoint(ctx, &plan, &state, &resp.Diagnostics)
	} else {
		r.buildAndSet(ctx, &plan, &cfg, &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return // state keeps the previous image
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *buildResource) repoint(ctx context.Context, plan, state *buildModel, diags *diag.Diagnostics) {
	want := strMap(ctx, plan.Refs, diags)
	have := strMap(ctx, state.Refs, diags)
	digest := plan.Digest.ValueString()
	for _, tag := range sortedStringKeys(want) {
		if have[tag] == want[tag] {
			continue
		}
		src := repoOf(tag) + "@" + digest
		tflog.Info(ctx, "prodimage_build: re-pointing a tag moved outside Terraform", map[string]any{"tag": tag, "was": have[tag], "digest": digest})
		if err := r.data.registry.Tag(ctx, src, tag); err != nil {
			diags.Append(diagRegistryError("Tag Update Failed", tag, r.data.registry, err,
				fmt.Sprintf("prodimage could not point %s back at %s.", tag, digest)))
			return
		}
	}
}

func sortedStringKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// resolveSecrets reads every secret's value. Values stay in memory for the solve only.
func resolveSecrets(ctx context.Context, cfg *buildModel, diags *diag.Diagnostics) []build.Secret {
	var out []build.Secret
	secrets := cfg.secrets(ctx, diags)
	for _, id := range sortedKeysOf(secrets) {
		s := secrets[id]
		switch {
		case !s.Value.IsNull():
			out = append(out, build.Secret{ID: id, Value: []byte(s.Value.ValueString())})
		case !s.Env.IsNull():
			v, ok := os.LookupEnv(s.Env.ValueString())
			if !ok {
				diags.AddAttributeError(path.Root("secrets").AtMapKey(id), "Build Secret Unavailable",
					fmt.Sprintf("Secret %q reads the environment variable %s, which is not set for this apply. Export it, or use file or value.", id, s.Env.ValueString()))
				continue
			}
			out = append(out, build.Secret{ID: id, Value: []byte(v)})
		case !s.File.IsNull():
			b, err := os.ReadFile(s.File.ValueString())
			if err != nil {
				diags.AddAttributeError(path.Root("secrets").AtMapKey(id), "Build Secret Unavailable",
					fmt.Sprintf("Secret %q reads the file %s, which cannot be read: %v", id, s.File.ValueString(), err))
				continue
			}
			out = append(out, build.Secret{ID: id, Value: b})
		}
	}
	return out
}

func sortedKeysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// buildAndSet runs the solve and fills the computed attributes of plan.
func (r *buildResource) buildAndSet(ctx context.Context, plan, cfg *buildModel, diags *diag.Diagnostics) {
	in := plan.inputs(ctx, diags)
	secrets := resolveSecrets(ctx, cfg, diags)
	if diags.HasError() {
		return
	}
	epoch, err := resolveEpoch(in)
	if err != nil {
		diags.AddAttributeError(path.Root("source_date_epoch"), "Invalid Source Date Epoch", err.Error())
		return
	}
	// The context digest is recomputed: files may have changed between plan and apply,
	// and the image must carry the digest of what it was built from.
	cres, d := r.contextDigest(ctx, in)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	pins := strMap(ctx, plan.BaseImages, diags)
	if plan.BaseImages.IsUnknown() || plan.BaseImages.IsNull() {
		df, d := parseDockerfile(in, cres)
		diags.Append(d...)
		if diags.HasError() {
			return
		}
		pins, d = r.pinBaseImages(ctx, in, df)
		diags.Append(d...)
		if diags.HasError() {
			return
		}
	}
	ctxDigest := withBaseImages(cres.Digest, pins)

	inputsJSON, _ := json.Marshal(in)
	labels := map[string]string{}
	annotations := map[string]string{}
	if in.OCILabels == nil || *in.OCILabels {
		auto := mergeMaps(automaticLabels(in, epoch), r.baseLabels(ctx, in, cres, pins))
		labels = mergeMaps(labels, auto)
		annotations = mergeMaps(annotations, auto)
	}
	labels = mergeMaps(labels, r.data.defaultLabels, in.Labels)
	annotations = mergeMaps(annotations, in.Annotations, map[string]string{
		build.AnnotationContextDigest: ctxDigest,
		annotationInputs:              string(inputsJSON),
	})
	if len(pins) > 0 {
		b, _ := json.Marshal(pins)
		annotations[annotationBaseImages] = string(b)
	}
	namedContexts := mergeMaps(in.Contexts)
	for name, pinned := range pins {
		namedContexts[name] = "docker-image://" + pinned
	}

	req := &build.Request{
		ContextDir:      in.Context,
		Platforms:       in.Platforms,
		Tags:            in.Tags,
		BuildArgs:       in.BuildArgs,
		Labels:          labels,
		Annotations:     annotations,
		Secrets:         secrets,
		SSH:             parseSSH(in.SSH),
		NamedContexts:   namedContexts,
		CacheFrom:       in.CacheFrom,
		CacheTo:         in.CacheTo,
		NoCache:         in.NoCache != nil && *in.NoCache,
		Pull:            in.Pull != nil && *in.Pull,
		SourceDateEpoch: epoch,
		SBOM:            in.SBOM != nil && *in.SBOM,
	}
	checkImage := plan.Policy != nil && plan.Policy.ImageChecks.ValueBool()
	req.PushByDigest = checkImage
	if in.Dockerfile != nil {
		req.Dockerfile = *in.Dockerfile
	}
	if in.DockerfileInline != nil {
		req.DockerfileInline = *in.DockerfileInline
	}
	if in.Target != nil {
		req.Target = *in.Target
	}
	if in.Provenance != nil {
		req.Provenance = *in.Provenance
	}
	for _, t := range in.Tags {
		if r.data.registry.IsInsecure(hostOf(t)) {
			req.Insecure = true
		}
	}

	start := time.Now()
	tflog.Info(ctx, "prodimage_build: solving", map[string]any{"tags": in.Tags, "platforms": in.Platforms, "builder": r.data.builder.Address()})
	res, err := r.data.builder.Solve(ctx, req, build.SolveOptions{
		Credentials: r.sessionCredentials,
		Progress: func(e build.Event) {
			fields := map[string]any{"step": e.Vertex, "status": e.Status}
			if e.Duration > 0 {
				fields["duration"] = e.Duration.Round(time.Millisecond).String()
			}
			if e.Status == "log" {
				tflog.Debug(ctx, e.String(), fields)
			} else {
				tflog.Info(ctx, e.String(), fields)
			}
		},
	})
	if err != nil {
		diags.Append(r.diagSolveError(ctx, req, err))
		return
	}
	tflog.Info(ctx, "prodimage_build: pushed", map[string]any{"digest": res.Digest, "elapsed": time.Since(start).Round(time.Millisecond).String(),
		"cached_steps": res.CachedSteps, "steps": res.TotalSteps})

	if checkImage {
		// No tag has moved yet: check what was pushed, then tag it, or fail and leave
		// every tag where it was.
		ref := repoOf(in.Tags[0]) + "@" + res.Digest
		cd := imageChecks(ctx, plan.Policy, r.data.registry, ref)
		diags.Append(cd...)
		if cd.HasError() {
			return
		}
		for _, t := range in.Tags {
			if err := r.data.registry.Tag(ctx, repoOf(t)+"@"+res.Digest, t); err != nil {
				diags.Append(diagRegistryError("Tag Update Failed", t, r.data.registry, err,
					fmt.Sprintf("The image %s passed its checks, but prodimage could not point %s at it.", ref, t)))
				return
			}
		}
		tflog.Info(ctx, "prodimage_build: image checks passed; tags moved", map[string]any{"digest": res.Digest, "tags": in.Tags})
	}
	m, d2 := r.verifyPush(ctx, in.Tags, res.Digest)
	if d2 != nil {
		diags.Append(d2)
		return
	}
	meta, _ := json.Marshal(res.ExporterResponse)
	plan.ID = tftypes.StringValue(in.Tags[0])
	plan.Digest = tftypes.StringValue(res.Digest)
	plan.ImageRef = tftypes.StringValue(repoOf(in.Tags[0]) + "@" + res.Digest)
	plan.Refs = mapVal(expectedRefs(in.Tags, res.Digest))
	plan.PlatformDigests = mapVal(m.Platforms)
	plan.ContextDigest = tftypes.StringValue(ctxDigest)
	plan.Metadata = tftypes.StringValue(string(meta))
	plan.BaseImages = mapVal(pins)
}

// verifyPush checks, concurrently, that every tag points at digest in the registry and
// reads the pushed index (or manifest) back for its platforms.
func (r *buildResource) verifyPush(ctx context.Context, tags []string, digest string) (*registry.Manifest, diag.Diagnostic) {
	var (
		mu    sync.Mutex
		first diag.Diagnostic
		m     *registry.Manifest
		wg    sync.WaitGroup
	)
	fail := func(d diag.Diagnostic) {
		mu.Lock()
		defer mu.Unlock()
		if first == nil {
			first = d
		}
	}
	for _, t := range tags {
		wg.Add(1)
		go func(t string) {
			defer wg.Done()
			desc, err := r.data.registry.Head(ctx, t)
			if err != nil {
				fail(diagRegistryError("Push Verification Failed", t, r.data.registry, err,
					fmt.Sprintf("BuildKit reported pushing %s as %s, but the registry does not answer for it.", t, digest)))
				return
			}
			if desc.Digest.String() != digest {
				fail(diag.NewErrorDiagnostic("Push Verification Failed", detail(
					fmt.Sprintf("BuildKit reported pushing %s as %s, but the registry says %s points at %s.", t, digest, t, desc.Digest),
					"Another writer may have pushed the same tag at the same time. Run apply again; give each build its own tags.", nil)))
			}
		}(t)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		var err error
		if m, err = r.data.registry.Inspect(ctx, repoOf(tags[0])+"@"+digest); err != nil {
			fail(diagRegistryError("Push Verification Failed", tags[0], r.data.registry, err, "prodimage could not read back the pushed image."))
		}
	}()
	wg.Wait()
	return m, first
}

// baseLabels names the base image of the target stage and its digest
// (org.opencontainers.image.base.*), following a named context that replaces it.
//
// With the base pinned (pin_base_images), the name carries the digest it was built from,
// so that whoever reads the image sees a pinned base (RULES.md image-latest-base).
func (r *buildResource) baseLabels(ctx context.Context, in *buildInputs, cres *buildctx.Result, pins map[string]string) map[string]string {
	df := dockerfile.Parse(cres.Dockerfile, dockerfile.Options{BuildArgs: in.BuildArgs})
	target := ""
	if in.Target != nil {
		target = *in.Target
	}
	st, err := df.Target(target)
	if err != nil {
		return nil
	}
	chain := df.RuntimeChain(st)
	base := chain[0].Image
	if base == nil || base.Scratch() || len(base.Unresolved) > 0 {
		return nil
	}
	name := base.Resolved
	if pinned, ok := pins[build.NamedContextKey(name)]; ok {
		digest := pinned[strings.LastIndex(pinned, "@")+1:]
		if !strings.Contains(name, "@") {
			name += "@" + digest
		}
		return map[string]string{"org.opencontainers.image.base.name": name, "org.opencontainers.image.base.digest": digest}
	}
	pull := name
	for _, k := range []string{base.Raw, base.Resolved} {
		if v, ok := in.Contexts[k]; ok && strings.HasPrefix(v, "docker-image://") {
			pull = strings.TrimPrefix(v, "docker-image://")
		}
	}
	out := map[string]string{"org.opencontainers.image.base.name": name}
	if i := strings.Index(pull, "@sha256:"); i >= 0 {
		out["org.opencontainers.image.base.digest"] = pull[i+1:]
		return out
	}
	if d, err := r.data.registry.Head(ctx, pull); err == nil {
		out["org.opencontainers.image.base.digest"] = d.Digest.String()
	} else {
		tflog.Warn(ctx, "prodimage_build: base image digest unknown; label org.opencontainers.image.base.digest left out", map[string]any{"base": pull, "error": err.Error()})
	}
	return out
}

// pinBaseImages resolves every external image the target needs to a digest, following
// named contexts that replace an image with another docker-image:// reference. The keys
// are BuildKit's named-context names, so the build can be handed exactly these digests.
func (r *buildResource) pinBaseImages(ctx context.Context, in *buildInputs, df *dockerfile.File) (map[string]string, diag.Diagnostics) {
	var diags diag.Diagnostics
	pins := map[string]string{}
	if in.PinBaseImages != nil && !*in.PinBaseImages {
		return pins, diags
	}
	target := ""
	if in.Target != nil {
		target = *in.Target
	}
	st, err := df.Target(target)
	if err != nil {
		return pins, diags
	}
	for _, ref := range df.ExternalImages(st) {
		if len(ref.Unresolved) > 0 {
			diags.AddAttributeWarning(path.Root("pin_base_images"), "Base Image Not Pinned", fmt.Sprintf(
				"Line %d uses %q, which still holds %s after ARG substitution, so it cannot be resolved at plan time. "+
					"Give the ARG a default or pass it in build_args.", ref.Line, ref.Raw, strings.Join(ref.Unresolved, ", ")))
			continue
		}
		key := build.NamedContextKey(ref.Resolved)
		source := ref.Resolved
		if v, ok := in.Contexts[key]; ok {
			if !strings.HasPrefix(v, "docker-image://") {
				continue // a local directory or another kind of context: not an image
			}
			source = strings.TrimPrefix(v, "docker-image://")
		} else if v, ok := in.Contexts[ref.Resolved]; ok {
			if !strings.HasPrefix(v, "docker-image://") {
				continue
			}
			source = strings.TrimPrefix(v, "docker-image://")
		}
		if strings.Contains(source, "@sha256:") {
			pins[key] = source
			continue
		}
		desc, err := r.data.registry.Head(ctx, source)
		if err != nil {
			summary := "Base Image Unresolvable"
			if errors.Is(err, registry.ErrNotFound) {
				summary = "Base Image Not Found"
			}
			d := diagRegistryError(summary, source, r.data.registry, err, fmt.Sprintf(
				"Line %d of the Dockerfile uses %s, which prodimage resolves to a digest at plan time (pin_base_images).", ref.Line, source))
			diags.AddAttributeError(path.Root("pin_base_images"), d.Summary(), d.Detail()+
				"\n\nTo build without resolving it, set pin_base_images = false, or map it to a reachable mirror with contexts.")
			return pins, diags
		}
		pins[key] = repoOf(source) + "@" + desc.Digest.String()
	}
	return pins, diags
}

// withBaseImages folds the pinned base images into the context digest: a moved upstream
// tag is a changed input.
func withBaseImages(digest string, pins map[string]string) string {
	if len(pins) == 0 {
		return digest
	}
	h := sha256.New()
	h.Write([]byte(digest))
	for _, k := range sortedStringKeys(pins) {
		fmt.Fprintf(h, "\x00%s\x00%s", k, pins[k])
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// sessionCredentials answers BuildKit's auth requests from the provider's keychain.
func (r *buildResource) sessionCredentials(ctx context.Context, host string) (types.AuthConfig, error) {
	cfg, _, err := r.data.registry.Credentials(ctx, host)
	if err != nil || cfg == nil {
		return types.AuthConfig{}, err
	}
	return types.AuthConfig{
		Username:      cfg.Username,
		Password:      cfg.Password,
		Auth:          cfg.Auth,
		IdentityToken: cfg.IdentityToken,
		RegistryToken: cfg.RegistryToken,
		ServerAddress: host,
	}, nil
}

func (r *buildResource) diagSolveError(ctx context.Context, req *build.Request, err error) diag.Diagnostic {
	var fe *build.FailedError
	var pd *build.PushDeniedError
	switch {
	case errors.Is(err, context.Canceled):
		return diag.NewErrorDiagnostic("Build Cancelled", detail(
			"The build was interrupted; BuildKit cancelled the solve. Nothing was recorded: the state still holds the previous image.",
			"Run apply again when ready.", err))
	case errors.Is(err, context.DeadlineExceeded) && errors.Is(ctx.Err(), context.DeadlineExceeded):
		return diag.NewErrorDiagnostic("Build Timed Out", detail(
			"The build did not finish within its timeout; BuildKit cancelled the solve. The state still holds the previous image.",
			"Raise `timeouts { create/update }`, or use cache_from to speed the build up.", err))
	case errors.As(err, &pd):
		return diag.NewErrorDiagnostic("Push Denied", detail(
			fmt.Sprintf("The registry %s refused the push of %s. Credentials tried, in order: %s.",
				pd.Registry, strings.Join(req.Tags, ", "), strings.Join(r.data.registry.SourcesTried(pd.Registry), "; ")),
			"Check the username and password of the provider's registry_auth block for "+pd.Registry+
				" (or `docker login "+pd.Registry+"`), and that the account may push to this repository. The state is unchanged.",
			pd.Err))
	case errors.As(err, &fe):
		var b strings.Builder
		loc := "a build step"
		if fe.Line > 0 {
			loc = fmt.Sprintf("%s line %d", fe.File, fe.Line)
		}
		fmt.Fprintf(&b, "The build failed at %s", loc)
		if fe.Instruction != "" {
			fmt.Fprintf(&b, ":\n\n    %s\n", strings.ReplaceAll(fe.Instruction, "\n", "\n    "))
		} else {
			b.WriteString(".\n")
		}
		if fe.ExitCode >= 0 {
			fmt.Fprintf(&b, "\nThe command exited with code %d.", fe.ExitCode)
		}
		if len(fe.Output) > 0 {
			fmt.Fprintf(&b, "\nLast %d lines of its output:\n\n", len(fe.Output))
			for _, l := range fe.Output {
				b.WriteString("    " + l + "\n")
			}
		}
		return diag.NewErrorDiagnostic("Build Failed", detail(b.String(),
			"Fix the instruction (run the same build with `buildctl` or `docker buildx` to iterate quickly) and apply again. "+
				"Nothing was pushed; the state still holds the previous image.", fe.Err))
	default:
		return diagBuilderError("Build Failed", r.data.builder.Address(), err)
	}
}

// Read checks every tag against the registry; it never builds or pushes.
func (r *buildResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state buildModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.Tags.IsNull() {
		r.readImported(ctx, &state, resp)
		return
	}
	tags := strList(ctx, state.Tags, &resp.Diagnostics)
	digest := state.Digest.ValueString()
	refs := map[string]string{}
	missing := 0
	for _, t := range tags {
		desc, err := r.data.registry.Head(ctx, t)
		switch {
		case err == nil:
			refs[t] = t + "@" + desc.Digest.String()
			if desc.Digest.String() != digest {
				tflog.Warn(ctx, "prodimage_build: tag moved outside Terraform", map[string]any{"tag": t, "state": digest, "registry": desc.Digest.String()})
			}
		case errors.Is(err, registry.ErrNotFound):
			refs[t] = ""
			missing++
			tflog.Warn(ctx, "prodimage_build: tag deleted outside Terraform", map[string]any{"tag": t})
		case errors.Is(err, registry.ErrUnauthorized):
			// Keep what state says: a rotated password must not make the resource look
			// gone, and the apply that needs the registry reports Push Denied in full.
			d := diagRegistryError("Registry Unauthorized", t, r.data.registry, err,
				"prodimage could not check where the tag points, so the state keeps what it recorded.")
			resp.Diagnostics.AddWarning(d.Summary(), d.Detail())
			return
		default:
			resp.Diagnostics.Append(diagRegistryError("Registry Read Failed", t, r.data.registry, err, "prodimage could not check where the tag points."))
			return
		}
	}
	if len(tags) > 0 && missing == len(tags) {
		exists, err := r.data.registry.RepositoryExists(ctx, repoOf(tags[0]))
		if err == nil && !exists {
			tflog.Warn(ctx, "prodimage_build: repository gone from the registry; the image will be rebuilt", map[string]any{"repository": repoOf(tags[0])})
			resp.State.RemoveResource(ctx)
			return
		}
	}
	if drifted(refs, tags, digest) && digest != "" {
		// Tags can only be re-pointed at an image that still exists. If the manifest
		// itself was deleted, forget the digest: the next plan rebuilds.
		if _, err := r.data.registry.Head(ctx, repoOf(tags[0])+"@"+digest); errors.Is(err, registry.ErrNotFound) {
			tflog.Warn(ctx, "prodimage_build: the image was deleted from the registry; it will be rebuilt", map[string]any{"digest": digest})
			state.Digest = tftypes.StringValue("")
		}
	}
	state.Refs = mapVal(refs)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// drifted reports whether some tag no longer points at digest.
func drifted(refs map[string]string, tags []string, digest string) bool {
	for _, t := range tags {
		if refs[t] != t+"@"+digest {
			return true
		}
	}
	return false
}

// readImported fills the state of an imported image from what its tag points at.
func (r *buildResource) readImported(ctx context.Context, state *buildModel, resp *resource.ReadResponse) {
	tag := state.ID.ValueString()
	m, err := r.data.registry.Inspect(ctx, tag)
	if err != nil {
		if errors.Is(err, registry.ErrNotFound) {
			resp.Diagnostics.AddError("Image Not Found", detail(
				fmt.Sprintf("There is no image at %s to import.", tag),
				"Import with the tag the image was pushed as: `terraform import prodimage_build.NAME registry/repo:tag`.", err))
			return
		}
		resp.Diagnostics.Append(diagRegistryError("Registry Read Failed", tag, r.data.registry, err, "prodimage could not read the image to import."))
		return
	}
	in := &buildInputs{Tags: []string{tag}}
	if raw := m.Annotations[annotationInputs]; raw != "" {
		var stored buildInputs
		if json.Unmarshal([]byte(raw), &stored) == nil {
			in = &stored
		}
	} else {
		resp.Diagnostics.AddWarning("Imported Image Has No Build Inputs", fmt.Sprintf(
			"%s was not built by prodimage (it has no %s annotation), so its build inputs are unknown: the next plan will rebuild it.", tag, annotationInputs))
	}
	in.apply(state)
	state.ID = tftypes.StringValue(tag)
	state.Digest = tftypes.StringValue(m.Digest)
	state.ImageRef = tftypes.StringValue(repoOf(in.Tags[0]) + "@" + m.Digest)
	refs := map[string]string{}
	for _, t := range in.Tags {
		if d, err := r.data.registry.Head(ctx, t); err == nil {
			refs[t] = t + "@" + d.Digest.String()
		} else {
			refs[t] = ""
		}
	}
	state.Refs = mapVal(refs)
	state.PlatformDigests = mapVal(m.Platforms)
	state.ContextDigest = tftypes.StringValue(m.Annotations[build.AnnotationContextDigest])
	pins := map[string]string{}
	if raw := m.Annotations[annotationBaseImages]; raw != "" {
		_ = json.Unmarshal([]byte(raw), &pins)
	}
	state.BaseImages = mapVal(pins)
	state.Metadata = tftypes.StringValue("{}")
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func (r *buildResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if _, err := r.data.registry.ParseReference(req.ID); err != nil || tagOf(req.ID) == "" {
		resp.Diagnostics.AddError("Invalid Import ID", detail(
			fmt.Sprintf("%q is not a tag reference.", req.ID),
			"Import with the tag the image was pushed as: `terraform import prodimage_build.NAME registry/repo:tag`.", err))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}

func (r *buildResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state buildModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !state.DeleteOnDestroy.ValueBool() {
		return
	}
	tags := strList(ctx, state.Tags, &resp.Diagnostics)
	seen := map[string]bool{}
	for _, t := range tags {
		ref := repoOf(t) + "@" + state.Digest.ValueString()
		if seen[ref] {
			continue
		}
		seen[ref] = true
		if err := r.data.registry.Delete(ctx, ref); err != nil {
			resp.Diagnostics.Append(diagRegistryError("Image Delete Failed", ref, r.data.registry, err,
				"prodimage could not delete the image (delete_on_destroy = true). The registry must allow deletes (distribution: storage.delete.enabled)."))
			return
		}
		tflog.Info(ctx, "prodimage_build: deleted from registry", map[string]any{"ref": ref})
	}
}
