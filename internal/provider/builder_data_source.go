package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*builderDataSource)(nil)

// NewBuilderDataSource describes the configured BuildKit daemon.
func NewBuilderDataSource() datasource.DataSource { return &builderDataSource{} }

type builderDataSource struct {
	data *providerData
}

type builderDataModel struct {
	ID              types.String `tfsdk:"id"`
	Address         types.String `tfsdk:"address"`
	BuildkitVersion types.String `tfsdk:"buildkit_version"`
	Platforms       types.List   `tfsdk:"platforms"`
	Workers         types.List   `tfsdk:"workers"`
}

var workerObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"id":        types.StringType,
	"platforms": types.ListType{ElemType: types.StringType},
	"labels":    types.MapType{ElemType: types.StringType},
}}

func (d *builderDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_builder"
}

func (d *builderDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Asks the configured BuildKit daemon for its version and workers. Use it to check " +
			"that a builder can serve the platforms you plan for (for example with a `precondition`).",
		Attributes: map[string]schema.Attribute{
			"id":               schema.StringAttribute{Computed: true, MarkdownDescription: "The daemon address."},
			"address":          schema.StringAttribute{Computed: true, MarkdownDescription: "The daemon address the provider uses."},
			"buildkit_version": schema.StringAttribute{Computed: true, MarkdownDescription: "BuildKit version of the daemon, e.g. `v0.34.2`."},
			"platforms": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Every platform some worker can build, native first, e.g. `[\"linux/amd64\", \"linux/arm64\"]`.",
			},
			"workers": schema.ListAttribute{
				Computed: true, ElementType: workerObjectType,
				MarkdownDescription: "The daemon's workers: `id`, `platforms` and `labels`.",
			},
		},
	}
}

func (d *builderDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	pd, ok := providerDataFrom(req.ProviderData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Provider Data", fmt.Sprintf("got %T; this is a bug in prodimage", req.ProviderData))
		return
	}
	d.data = pd
}

func (d *builderDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.data == nil {
		resp.Diagnostics.Append(diagUnconfigured())
		return
	}
	desc, err := d.data.builder.Describe(ctx)
	if err != nil {
		resp.Diagnostics.Append(diagBuilderError("BuildKit Error", d.data.builder.Address(), err))
		return
	}
	plats, diags := types.ListValueFrom(ctx, types.StringType, desc.Platforms)
	resp.Diagnostics.Append(diags...)
	workers := make([]attr.Value, 0, len(desc.Workers))
	for _, w := range desc.Workers {
		wp, diags := types.ListValueFrom(ctx, types.StringType, w.Platforms)
		resp.Diagnostics.Append(diags...)
		wl, diags := types.MapValueFrom(ctx, types.StringType, w.Labels)
		resp.Diagnostics.Append(diags...)
		obj, diags := types.ObjectValue(workerObjectType.AttrTypes, map[string]attr.Value{
			"id": types.StringValue(w.ID), "platforms": wp, "labels": wl,
		})
		resp.Diagnostics.Append(diags...)
		workers = append(workers, obj)
	}
	wl, diags := types.ListValue(workerObjectType, workers)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &builderDataModel{
		ID:              types.StringValue(desc.Address),
		Address:         types.StringValue(desc.Address),
		BuildkitVersion: types.StringValue(desc.BuildkitVersion),
		Platforms:       plats,
		Workers:         wl,
	})...)
}
