package provider

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/prodimage/terraform-provider-prodimage/internal/buildctx"
	"github.com/prodimage/terraform-provider-prodimage/internal/policy"
	"github.com/prodimage/terraform-provider-prodimage/internal/registry"
)

// buildPolicyModel is prodimage_build's policy block: the data source's settings; the
// Dockerfile, context and labels come from the build itself.
type buildPolicyModel struct {
	policySettings
	ImageChecks    types.Bool  `tfsdk:"image_checks"`
	MaxImageSizeMB types.Int64 `tfsdk:"max_image_size_mb"`
}

func buildPolicyBlock() schema.SingleNestedBlock {
	attrs := map[string]schema.Attribute{}
	for _, p := range policySettingsSpec {
		switch p.kind {
		case "bool":
			attrs[p.name] = schema.BoolAttribute{Optional: true, MarkdownDescription: p.desc}
		case "string":
			attrs[p.name] = schema.StringAttribute{Optional: true, MarkdownDescription: p.desc, Validators: []validator.String{stringvalidator.OneOf(p.enum...)}}
		case "list":
			attrs[p.name] = schema.ListAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: p.desc}
		case "map":
			attrs[p.name] = schema.MapAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: p.desc}
		}
	}
	attrs["image_checks"] = schema.BoolAttribute{
		Optional: true,
		MarkdownDescription: "Also check the image as built, before any tag moves: the build pushes by digest only, the image rules run on the " +
			"pushed manifest, config, history and every layer, and the tags are moved only if it passes; otherwise apply fails with the " +
			"findings and every tag still points where it did. Default `false`.",
	}
	attrs["max_image_size_mb"] = schema.Int64Attribute{
		Optional:            true,
		MarkdownDescription: "With `image_checks`: the largest compressed size per platform, in MB (10^6 bytes). Default: no limit.",
	}
	return schema.SingleNestedBlock{
		MarkdownDescription: "Evaluate the production checklist (the rules of `prodimage_policy`) on this build's Dockerfile, `.dockerignore` " +
			"and labels during plan: a violating build fails at plan time, before anything is built. Same arguments as the data source, " +
			"minus the file inputs.",
		Attributes: attrs,
	}
}

// checkPolicy runs the checklist on what the build will send, at plan time.
func checkPolicy(ctx context.Context, p *buildPolicyModel, in *buildInputs, cres *buildctx.Result, labels map[string]string) diag.Diagnostics {
	name := cres.DockerfileName
	if name == "" {
		name = "dockerfile_inline"
	}
	pin := policy.Input{
		DockerfileName: name,
		Dockerfile:     cres.Dockerfile,
		Dockerignore:   cres.Dockerignore,
		BuildArgs:      in.BuildArgs,
		Labels:         labels,
	}
	if cres.DockerignoreName != "" {
		pin.DockerignoreName = cres.DockerignoreName
	}
	if in.Target != nil {
		pin.Target = *in.Target
	}
	if entries, err := os.ReadDir(in.Context); err == nil {
		for _, e := range entries {
			pin.ContextFiles = append(pin.ContextFiles, e.Name())
		}
	}
	diags := p.policySettings.apply(ctx, &pin)
	if diags.HasError() {
		return diags
	}
	report, d := evaluatePolicy(pin)
	diags.Append(d...)
	if report == nil {
		return diags
	}
	diags.Append(policyDiagnostics(report, p.Enforce.IsNull() || p.Enforce.ValueBool(), "Dockerfile Policy Violations")...)
	return diags
}

// imageChecks runs the image rules on the image pushed by digest, before any tag moves.
func imageChecks(ctx context.Context, p *buildPolicyModel, reg *registry.Client, ref string) diag.Diagnostics {
	facts, err := scanImage(ctx, reg, ref, "")
	if err != nil {
		var diags diag.Diagnostics
		diags.Append(diagImageError(ref, reg, err))
		return diags
	}
	in := policy.Input{Image: facts, MaxImageSizeMB: int(p.MaxImageSizeMB.ValueInt64())}
	diags := p.policySettings.apply(ctx, &in)
	if diags.HasError() {
		return diags
	}
	report, d := evaluatePolicy(in)
	diags.Append(d...)
	if report == nil {
		return diags
	}
	diags.Append(policyDiagnostics(report, p.Enforce.IsNull() || p.Enforce.ValueBool(), "Image Policy Violations")...)
	return diags
}
