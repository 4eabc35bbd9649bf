package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/prodimage/terraform-provider-prodimage/internal/registry"
)

var _ datasource.DataSourceWithConfigure = (*imageDataSource)(nil)

// NewImageDataSource resolves any image reference to its digest and inspects it.
func NewImageDataSource() datasource.DataSource { return &imageDataSource{} }

type imageDataSource struct {
	data *providerData
}

var imageConfigAttrTypes = map[string]attr.Type{
	"digest":        types.StringType,
	"user":          types.StringType,
	"entrypoint":    types.ListType{ElemType: types.StringType},
	"cmd":           types.ListType{ElemType: types.StringType},
	"env_names":     types.ListType{ElemType: types.StringType},
	"labels":        types.MapType{ElemType: types.StringType},
	"healthcheck":   types.ListType{ElemType: types.StringType},
	"exposed_ports": types.ListType{ElemType: types.StringType},
	"working_dir":   types.StringType,
	"stop_signal":   types.StringType,
	"created":       types.StringType,
	"layers":        types.Int64Type,
	"size_bytes":    types.Int64Type,
}

type imageDataModel struct {
	Ref             types.String `tfsdk:"ref"`
	Platform        types.String `tfsdk:"platform"`
	ID              types.String `tfsdk:"id"`
	Digest          types.String `tfsdk:"digest"`
	ImageRef        types.String `tfsdk:"image_ref"`
	MediaType       types.String `tfsdk:"media_type"`
	PlatformDigests types.Map    `tfsdk:"platform_digests"`
	Platforms       types.Map    `tfsdk:"platforms"`
	User            types.String `tfsdk:"user"`
	Entrypoint      types.List   `tfsdk:"entrypoint"`
	Cmd             types.List   `tfsdk:"cmd"`
	EnvNames        types.List   `tfsdk:"env_names"`
	Labels          types.Map    `tfsdk:"labels"`
	Healthcheck     types.List   `tfsdk:"healthcheck"`
	ExposedPorts    types.List   `tfsdk:"exposed_ports"`
	WorkingDir      types.String `tfsdk:"working_dir"`
	StopSignal      types.String `tfsdk:"stop_signal"`
	Created         types.String `tfsdk:"created"`
	Layers          types.Int64  `tfsdk:"layers"`
	SizeBytes       types.Int64  `tfsdk:"size_bytes"`
}

func (d *imageDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_image"
}

func (d *imageDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	list := func(desc string) schema.ListAttribute {
		return schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Resolves an image reference (a tag or a digest) to its digest and reads its configuration, so images you do not build " +
			"(redis, nginx, a vendor's agent) reach deployments pinned as `repo@sha256:…` too. Private registries use the provider's credentials.",
		Attributes: map[string]schema.Attribute{
			"ref": schema.StringAttribute{Required: true, MarkdownDescription: "Image reference: `registry/repo:tag` or `registry/repo@sha256:…`."},
			"platform": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Platform to describe, e.g. `linux/arm64`. Default: the first platform of an index (or the image's own). " +
					"When set, `platforms` holds only this one.",
			},
			"id":               str("The digest."),
			"digest":           str("Digest the reference points at (the index for multi-platform images)."),
			"image_ref":        str("`repo@sha256:…`: the pinned reference for deployments."),
			"media_type":       str("Media type of what the reference points at (index or image manifest)."),
			"platform_digests": schema.MapAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "`os/arch[/variant]` → image manifest digest."},
			"platforms": schema.MapAttribute{
				Computed: true, ElementType: types.ObjectType{AttrTypes: imageConfigAttrTypes},
				MarkdownDescription: "Per platform: `digest`, `user`, `entrypoint`, `cmd`, `env_names`, `labels`, `healthcheck`, `exposed_ports`, " +
					"`working_dir`, `stop_signal`, `created`, `layers`, `size_bytes`.",
			},
			"user":          str("Configured user of the selected platform's image (empty means root)."),
			"entrypoint":    list("Entrypoint."),
			"cmd":           list("Cmd."),
			"env_names":     list("Names of the environment variables (values are not read: they may be secrets)."),
			"labels":        schema.MapAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Labels."},
			"healthcheck":   list("HEALTHCHECK test command; empty when none, `[\"NONE\"]` when disabled."),
			"exposed_ports": list("Exposed ports, e.g. `8080/tcp`."),
			"working_dir":   str("Working directory."),
			"stop_signal":   str("Stop signal."),
			"created":       str("Creation time, RFC 3339."),
			"layers":        schema.Int64Attribute{Computed: true, MarkdownDescription: "Number of layers."},
			"size_bytes":    schema.Int64Attribute{Computed: true, MarkdownDescription: "Compressed size (layers and config): what a node pulls."},
		},
	}
}

func (d *imageDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	pd, ok := providerDataFrom(req.ProviderData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Provider Data", fmt.Sprintf("got %T; this is a bug in prodimage", req.ProviderData))
		return
	}
	d.data = pd
}

func (d *imageDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.data == nil {
		resp.Diagnostics.Append(diagUnconfigured())
		return
	}
	var m imageDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ref := m.Ref.ValueString()
	img, err := d.data.registry.Describe(ctx, ref, m.Platform.ValueString())
	if err != nil {
		resp.Diagnostics.Append(diagImageError(ref, d.data.registry, err))
		return
	}
	m.ID = types.StringValue(img.Digest)
	m.Digest = types.StringValue(img.Digest)
	m.ImageRef = types.StringValue(img.Repo + "@" + img.Digest)
	m.MediaType = types.StringValue(img.MediaType)
	digests := map[string]string{}
	objs := map[string]attr.Value{}
	for _, p := range img.Platforms {
		digests[p.Platform] = p.Digest
		obj, diags := imageConfigObject(p)
		resp.Diagnostics.Append(diags...)
		objs[p.Platform] = obj
	}
	m.PlatformDigests = mapVal(digests)
	pm, diags := types.MapValue(types.ObjectType{AttrTypes: imageConfigAttrTypes}, objs)
	resp.Diagnostics.Append(diags...)
	m.Platforms = pm
	sel := img.Platforms[0]
	m.Platform = types.StringValue(sel.Platform)
	m.User = types.StringValue(sel.User)
	m.Entrypoint = listVal(orEmpty(sel.Entrypoint))
	m.Cmd = listVal(orEmpty(sel.Cmd))
	m.EnvNames = listVal(orEmpty(sel.EnvNames))
	m.Labels = mapVal(orEmptyMap(sel.Labels))
	m.Healthcheck = listVal(orEmpty(sel.Healthcheck))
	m.ExposedPorts = listVal(orEmpty(sel.ExposedPorts))
	m.WorkingDir = types.StringValue(sel.WorkingDir)
	m.StopSignal = types.StringValue(sel.StopSignal)
	m.Created = types.StringValue(sel.Created)
	m.Layers = types.Int64Value(int64(sel.Layers))
	m.SizeBytes = types.Int64Value(sel.SizeBytes)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func orEmpty(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

func orEmptyMap(v map[string]string) map[string]string {
	if v == nil {
		return map[string]string{}
	}
	return v
}

func imageConfigObject(p registry.ImageConfig) (attr.Value, diag.Diagnostics) {
	return types.ObjectValue(imageConfigAttrTypes, map[string]attr.Value{
		"digest":        types.StringValue(p.Digest),
		"user":          types.StringValue(p.User),
		"entrypoint":    listVal(orEmpty(p.Entrypoint)),
		"cmd":           listVal(orEmpty(p.Cmd)),
		"env_names":     listVal(orEmpty(p.EnvNames)),
		"labels":        mapVal(orEmptyMap(p.Labels)),
		"healthcheck":   listVal(orEmpty(p.Healthcheck)),
		"exposed_ports": listVal(orEmpty(p.ExposedPorts)),
		"working_dir":   types.StringValue(p.WorkingDir),
		"stop_signal":   types.StringValue(p.StopSignal),
		"created":       types.StringValue(p.Created),
		"layers":        types.Int64Value(int64(p.Layers)),
		"size_bytes":    types.Int64Value(p.SizeBytes),
	})
}

func diagImageError(ref string, reg *registry.Client, err error) diag.Diagnostic {
	if errors.Is(err, registry.ErrNotFound) {
		return diag.NewAttributeErrorDiagnostic(pathRoot("ref"), "Image Not Found", detail(
			fmt.Sprintf("The registry has no image at %s.", ref),
			"Check the repository name and tag (or digest), and the platform if you set one.", err))
	}
	return diagRegistryError("Registry Read Failed", ref, reg, err, fmt.Sprintf("prodimage could not read %s.", ref))
}
