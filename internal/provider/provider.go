// Package provider is the Terraform/OpenTofu glue of prodimage: schemas, models, plan
// modifiers and diagnostics. It converts HCL values into plain requests for the build,
// buildctx, registry and policy packages, and their results back into state.
package provider

import (
	"context"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/prodimage/terraform-provider-prodimage/internal/build"
	"github.com/prodimage/terraform-provider-prodimage/internal/registry"
)

var _ provider.Provider = (*prodimageProvider)(nil)

// New returns a constructor for the provider at the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &prodimageProvider{version: version} }
}

type prodimageProvider struct {
	version string
}

type providerModel struct {
	Builder            *builderModel       `tfsdk:"builder"`
	RegistryAuth       []registryAuthModel `tfsdk:"registry_auth"`
	InsecureRegistries types.List          `tfsdk:"insecure_registries"`
	DefaultLabels      types.Map           `tfsdk:"default_labels"`
}

type builderModel struct {
	Address types.String `tfsdk:"address"`
	TLS     *tlsModel    `tfsdk:"tls"`
}

type tlsModel struct {
	CACert     types.String `tfsdk:"ca_cert"`
	Cert       types.String `tfsdk:"cert"`
	Key        types.String `tfsdk:"key"`
	ServerName types.String `tfsdk:"server_name"`
}

type registryAuthModel struct {
	Address  types.String `tfsdk:"address"`
	Username types.String `tfsdk:"username"`
	Password types.String `tfsdk:"password"`
}

// providerData is what Configure hands to every resource and data source.
type providerData struct {
	version       string
	builder       *build.Builder
	registry      *registry.Client
	defaultLabels map[string]string
}

func (p *prodimageProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "prodimage"
	resp.Version = p.version
}

func (p *prodimageProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Builds production container images through BuildKit, pins them by digest, and " +
			"enforces the production Dockerfile checklist at plan time. Every setting is optional.",
		Attributes: map[string]schema.Attribute{
			"insecure_registries": schema.ListAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "Registry hosts (`host[:port]`) reached over plain HTTP or over TLS without " +
					"certificate verification, for local development. Default: the comma-separated " +
					"`PRODIMAGE_INSECURE_REGISTRIES` environment variable, else none.",
			},
			"default_labels": schema.MapAttribute{
				ElementType:         types.StringType,
				Optional:            true,
				MarkdownDescription: "Labels merged into every image this provider builds; a resource's own `labels` win. Default none.",
			},
		},
		Blocks: map[string]schema.Block{
			"builder": schema.SingleNestedBlock{
				MarkdownDescription: "The BuildKit daemon. Nothing connects to it until a build or " +
					"`prodimage_builder` needs it, so policy-only configurations need no daemon.",
				Attributes: map[string]schema.Attribute{
					"address": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "`unix:///path`, `tcp://host:port`, `docker-container://NAME` or " +
							"`kube-pod://NAME`. Default: `BUILDKIT_HOST`, else `" + build.DefaultAddress + "`.",
					},
				},
				Blocks: map[string]schema.Block{
					"tls": schema.SingleNestedBlock{
						MarkdownDescription: "Mutual TLS for a `tcp://` daemon. Each value is PEM text or a file path. " +
							"Defaults: `BUILDKIT_TLS_CA_CERT`, `BUILDKIT_TLS_CERT`, `BUILDKIT_TLS_KEY`, `BUILDKIT_TLS_SERVER_NAME`.",
						Attributes: map[string]schema.Attribute{
							"ca_cert":     schema.StringAttribute{Optional: true, MarkdownDescription: "CA certificate that signed the daemon's certificate."},
							"cert":        schema.StringAttribute{Optional: true, MarkdownDescription: "Client certificate."},
							"key":         schema.StringAttribute{Optional: true, Sensitive: true, MarkdownDescription: "Client private key."},
							"server_name": schema.StringAttribute{Optional: true, MarkdownDescription: "Name to verify in the daemon's certificate. Default: the address's host."},
						},
					},
				},
			},
			"registry_auth": schema.ListNestedBlock{
				MarkdownDescription: "Credentials for a registry, used for pushes, private `FROM` pulls (through " +
					"BuildKit's session) and every registry read. They take precedence over the Docker config file " +
					"(`$DOCKER_CONFIG/config.json` and its credential helpers); without either, access is anonymous.",
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"address":  schema.StringAttribute{Required: true, MarkdownDescription: "Registry host, e.g. `registry.example.com:5000` (`docker.io` for Docker Hub)."},
						"username": schema.StringAttribute{Required: true, MarkdownDescription: "User name."},
						"password": schema.StringAttribute{Required: true, Sensitive: true, MarkdownDescription: "Password or token. Never stored in state."},
					},
				},
			},
		},
	}
}

func envOr(v types.String, env string) string {
	if !v.IsNull() && !v.IsUnknown() && v.ValueString() != "" {
		return v.ValueString()
	}
	return os.Getenv(env)
}

func (p *prodimageProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	conn := build.ConnectOptions{}
	tlsm := &tlsModel{}
	if cfg.Builder != nil {
		conn.Address = cfg.Builder.Address.ValueString()
		if cfg.Builder.TLS != nil {
			tlsm = cfg.Builder.TLS
		}
	}
	t := build.TLS{
		CACert:     envOr(tlsm.CACert, "BUILDKIT_TLS_CA_CERT"),
		Cert:       envOr(tlsm.Cert, "BUILDKIT_TLS_CERT"),
		Key:        envOr(tlsm.Key, "BUILDKIT_TLS_KEY"),
		ServerName: envOr(tlsm.ServerName, "BUILDKIT_TLS_SERVER_NAME"),
	}
	if (cfg.Builder != nil && cfg.Builder.TLS != nil) || t.CACert != "" || t.Cert != "" || t.Key != "" {
		conn.TLS = &t
	}
	builder, err := build.NewBuilder(conn)
	if err != nil {
		resp.Diagnostics.Append(diagInvalidProviderConfig("builder", err))
		return
	}

	ropts := registry.Options{UserAgent: "terraform-provider-prodimage/" + p.version}
	for _, a := range cfg.RegistryAuth {
		ropts.Auth = append(ropts.Auth, registry.Auth{
			Address:  a.Address.ValueString(),
			Username: a.Username.ValueString(),
			Password: a.Password.ValueString(),
		})
	}
	if !cfg.InsecureRegistries.IsNull() && !cfg.InsecureRegistries.IsUnknown() {
		resp.Diagnostics.Append(cfg.InsecureRegistries.ElementsAs(ctx, &ropts.Insecure, false)...)
	} else if env := os.Getenv("PRODIMAGE_INSECURE_REGISTRIES"); env != "" {
		for _, h := range strings.Split(env, ",") {
			if h = strings.TrimSpace(h); h != "" {
				ropts.Insecure = append(ropts.Insecure, h)
			}
		}
	}
	reg, err := registry.New(ropts)
	if err != nil {
		resp.Diagnostics.Append(diagInvalidProviderConfig("registry_auth", err))
		return
	}

	labels := map[string]string{}
	if !cfg.DefaultLabels.IsNull() && !cfg.DefaultLabels.IsUnknown() {
		resp.Diagnostics.Append(cfg.DefaultLabels.ElementsAs(ctx, &labels, false)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	data := &providerData{version: p.version, builder: builder, registry: reg, defaultLabels: labels}
	resp.DataSourceData = data
	resp.ResourceData = data
}

func (p *prodimageProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewBuildResource,
	}
}

func (p *prodimageProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewBuilderDataSource,
		NewImageDataSource,
		NewPolicyDataSource,
	}
}

// providerDataFrom extracts the configured provider data; nil means not yet configured.
func providerDataFrom(v any) (*providerData, bool) {
	if v == nil {
		return nil, true
	}
	d, ok := v.(*providerData)
	return d, ok
}
