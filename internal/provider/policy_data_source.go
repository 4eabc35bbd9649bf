package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/prodimage/terraform-provider-prodimage/internal/buildctx"
	"github.com/prodimage/terraform-provider-prodimage/internal/policy"
)

var (
	_ datasource.DataSourceWithConfigure        = (*policyDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*policyDataSource)(nil)
)

// NewPolicyDataSource evaluates the production checklist and fails the plan on violations.
func NewPolicyDataSource() datasource.DataSource { return &policyDataSource{} }

type policyDataSource struct {
	data *providerData
}

// policySettings are the arguments shared by the data source and prodimage_build's
// policy block.
type policySettings struct {
	Enforce            types.Bool   `tfsdk:"enforce"`
	FailOn             types.String `tfsdk:"fail_on"`
	Ignore             types.List   `tfsdk:"ignore"`
	SeverityOverrides  types.Map    `tfsdk:"severity_overrides"`
	RequiredLabels     types.List   `tfsdk:"required_labels"`
	TrustedRegistries  types.List   `tfsdk:"trusted_registries"`
	AllowInlineIgnores types.Bool   `tfsdk:"allow_inline_ignores"`
}

type policyDataModel struct {
	Dockerfile          types.String `tfsdk:"dockerfile"`
	DockerfileContent   types.String `tfsdk:"dockerfile_content"`
	Context             types.String `tfsdk:"context"`
	DockerignoreContent types.String `tfsdk:"dockerignore_content"`
	Target              types.String `tfsdk:"target"`
	BuildArgs           types.Map    `tfsdk:"build_args"`
	Labels              types.Map    `tfsdk:"labels"`
	policySettings

	Image                 types.String      `tfsdk:"image"`
	Platform              types.String      `tfsdk:"platform"`
	MaxImageSizeMB        types.Int64       `tfsdk:"max_image_size_mb"`
	VulnerabilityReport   types.String      `tfsdk:"vulnerability_report"`
	MaxVulnerabilities    types.Map         `tfsdk:"max_vulnerabilities"`
	IgnoreVulnerabilities []vulnIgnoreModel `tfsdk:"ignore_vulnerabilities"`

	ID         types.String `tfsdk:"id"`
	Passed     types.Bool   `tfsdk:"passed"`
	Findings   types.List   `tfsdk:"findings"`
	Checklist  types.Map    `tfsdk:"checklist"`
	Counts     types.Map    `tfsdk:"counts"`
	SARIF      types.String `tfsdk:"sarif"`
	ReportJSON types.String `tfsdk:"report_json"`
}

type vulnIgnoreModel struct {
	ID      types.String `tfsdk:"id"`
	Expires types.String `tfsdk:"expires"`
}

var findingAttrTypes = map[string]attr.Type{
	"rule":      types.StringType,
	"severity":  types.StringType,
	"checklist": types.StringType,
	"message":   types.StringType,
	"file":      types.StringType,
	"line":      types.Int64Type,
	"stage":     types.StringType,
	"fix":       types.StringType,
	"ignored":   types.BoolType,
}

var severityNames = []string{"info", "low", "medium", "high", "critical"}

// policySetting describes one of the arguments shared by the data source and
// prodimage_build's policy block, so that both schemas say the same thing.
type policySetting struct {
	name, kind, desc string
	enum             []string
}

var policySettingsSpec = []policySetting{
	{"enforce", "bool", "Fail the plan when the checklist does not pass (\"Dockerfile Policy Violations\"). Default `true`; `false` only reports.", nil},
	{"fail_on", "string", "Lowest severity that fails: `info`, `low`, `medium`, `high` or `critical`. Default `medium`. Findings below it come back as one warning.", severityNames},
	{"ignore", "list", "Rule IDs or their aliases (hadolint `DL…`, trivy `DS-…`, checkov `CKV_DOCKER_…`, dockle `CIS-DI-…`) to ignore. Ignored findings stay listed with `ignored = true`.", nil},
	{"severity_overrides", "map", "Rule ID (or alias) → severity, e.g. `{ \"oci-labels\" = \"high\" }`.", nil},
	{"required_labels", "list", "Labels the runtime image must carry. Default `[\"org.opencontainers.image.source\"]`.", nil},
	{"trusted_registries", "list", "Where images may come from: registry or repository prefixes with `*` globs, e.g. `[\"registry.example.com\", \"docker.io/library\"]`. Default: anywhere.", nil},
	{"allow_inline_ignores", "bool", "Honour `# prodimage:ignore=…` pragmas (and hadolint's and trivy's through the aliases). Default `true`.", nil},
}

// policySettingsAttributes are the shared arguments in the data source's schema.
func policySettingsAttributes() map[string]schema.Attribute {
	out := map[string]schema.Attribute{}
	for _, p := range policySettingsSpec {
		switch p.kind {
		case "bool":
			out[p.name] = schema.BoolAttribute{Optional: true, MarkdownDescription: p.desc}
		case "string":
			out[p.name] = schema.StringAttribute{Optional: true, MarkdownDescription: p.desc, Validators: []validator.String{stringvalidator.OneOf(p.enum...)}}
		case "list":
			out[p.name] = schema.ListAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: p.desc}
		case "map":
			out[p.name] = schema.MapAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: p.desc}
		}
	}
	return out
}

func (d *policyDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_policy"
}

func (d *policyDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := policySettingsAttributes()
	for k, v := range map[string]schema.Attribute{
		"dockerfile":           schema.StringAttribute{Optional: true, MarkdownDescription: "Path of the Dockerfile to check."},
		"dockerfile_content":   schema.StringAttribute{Optional: true, MarkdownDescription: "The Dockerfile itself, instead of a path."},
		"context":              schema.StringAttribute{Optional: true, MarkdownDescription: "Build context directory, for `.dockerignore` (or `<Dockerfile>.dockerignore`) and the project files it holds. Default: the Dockerfile's folder."},
		"dockerignore_content": schema.StringAttribute{Optional: true, MarkdownDescription: "The `.dockerignore` itself, instead of reading the context."},
		"target":               schema.StringAttribute{Optional: true, MarkdownDescription: "Stage that is deployed. Default: the last stage."},
		"build_args":           schema.MapAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: "Build arguments, used to resolve `ARG`s in `FROM`, `USER` and the rest."},
		"labels":               schema.MapAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: "Labels the build adds (e.g. prodimage_build's automatic OCI labels); they count as present."},
		"image": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "An image reference (tag or digest) to check as built: the image rules run on its manifest, config, history " +
				"and every layer (streamed, each read once, never unpacked to disk), alongside the Dockerfile rules when a Dockerfile is " +
				"also given. Private registries use the provider's credentials. This, unlike the Dockerfile rules, reads the registry.",
		},
		"platform":          schema.StringAttribute{Optional: true, MarkdownDescription: "With `image`: check only this platform of an index, e.g. `linux/arm64`. Default: every platform."},
		"max_image_size_mb": schema.Int64Attribute{Optional: true, MarkdownDescription: "With `image`: the largest compressed size (what a node pulls, in MB of 10^6 bytes) per platform; `image-size` fires above it. Default: no limit."},
		"vulnerability_report": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "A scanner report for the image: Trivy JSON, Grype JSON or SARIF (detected by content), as a file path or the " +
				"content itself. Without it `vulnerability_scan` is `not_evaluated`.",
		},
		"max_vulnerabilities": schema.MapAttribute{
			Optional: true, ElementType: types.Int64Type,
			MarkdownDescription: "Allowed vulnerabilities per severity in the report, e.g. `{ critical = 0, high = 10 }`; a severity not listed is unlimited. Default `{ critical = 0 }`.",
		},
		"ignore_vulnerabilities": schema.ListNestedAttribute{
			Optional: true,
			MarkdownDescription: "Accepted vulnerabilities: `id` (CVE, GHSA… as the report names it or one of its aliases) and an optional " +
				"`expires` date (`YYYY-MM-DD`, through the end of that day UTC) after which it counts again.",
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"id":      schema.StringAttribute{Required: true, MarkdownDescription: "Vulnerability ID."},
				"expires": schema.StringAttribute{Optional: true, MarkdownDescription: "Last day the ignore applies (`YYYY-MM-DD`)."},
			}},
		},
		"id":     schema.StringAttribute{Computed: true, MarkdownDescription: "The Dockerfile (or image) checked."},
		"passed": schema.BoolAttribute{Computed: true, MarkdownDescription: "No active finding at or above `fail_on`."},
		"findings": schema.ListAttribute{
			Computed: true, ElementType: types.ObjectType{AttrTypes: findingAttrTypes},
			MarkdownDescription: "Every finding, ordered by line: `rule`, `severity`, `checklist`, `message`, `file`, `line`, `stage`, `fix`, `ignored`. Secret values are masked.",
		},
		"checklist":   schema.MapAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Every checklist key → `pass`, `warn` (only low findings), `fail` or `not_evaluated`."},
		"counts":      schema.MapAttribute{Computed: true, ElementType: types.Int64Type, MarkdownDescription: "Severity → number of active (not ignored) findings."},
		"sarif":       schema.StringAttribute{Computed: true, MarkdownDescription: "SARIF 2.1.0 log of the active findings, for code-scanning upload."},
		"report_json": schema.StringAttribute{Computed: true, MarkdownDescription: "The whole report as JSON."},
	} {
		attrs[k] = v
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Evaluates the production Dockerfile checklist and, with `enforce` (the default), **fails the plan** on violations. " +
			"Needs no BuildKit daemon and no network.",
		Attributes: attrs,
	}
}

func (d *policyDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.AtLeastOneOf(path.MatchRoot("dockerfile"), path.MatchRoot("dockerfile_content"), path.MatchRoot("image")),
		datasourcevalidator.Conflicting(path.MatchRoot("dockerfile"), path.MatchRoot("dockerfile_content")),
		datasourcevalidator.Conflicting(path.MatchRoot("context"), path.MatchRoot("dockerignore_content")),
	}
}

func (d *policyDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	pd, ok := providerDataFrom(req.ProviderData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Provider Data", fmt.Sprintf("got %T; this is a bug in prodimage", req.ProviderData))
		return
	}
	d.data = pd
}

func (d *policyDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m policyDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in := policy.Input{
		Target:    m.Target.ValueString(),
		BuildArgs: strMap(ctx, m.BuildArgs, &resp.Diagnostics),
		Labels:    strMap(ctx, m.Labels, &resp.Diagnostics),
	}
	if !m.DockerfileContent.IsNull() {
		in.Dockerfile = []byte(m.DockerfileContent.ValueString())
		in.DockerfileName = "Dockerfile"
	} else if !m.Dockerfile.IsNull() {
		p := m.Dockerfile.ValueString()
		b, err := os.ReadFile(p)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("dockerfile"), "Dockerfile Not Readable", detail(
				fmt.Sprintf("prodimage could not read the Dockerfile %s.", p),
				"Check the path; relative paths are resolved from the directory Terraform runs in, so use \"${path.module}/…\".", err))
			return
		}
		in.Dockerfile = b
		in.DockerfileName = p
	}
	switch {
	case !m.DockerignoreContent.IsNull():
		in.Dockerignore = []byte(m.DockerignoreContent.ValueString())
		in.DockerignoreName = ".dockerignore"
	case !m.Context.IsNull() || !m.Dockerfile.IsNull():
		dir := m.Context.ValueString()
		if dir == "" {
			dir = filepath.Dir(m.Dockerfile.ValueString())
		}
		st, err := os.Stat(dir)
		if err != nil || !st.IsDir() {
			resp.Diagnostics.AddAttributeError(path.Root("context"), "Invalid Build Context", detail(
				fmt.Sprintf("The context %s is not a readable directory.", dir), "Point context at the build context directory.", err))
			return
		}
		dfPath := ""
		if !m.Dockerfile.IsNull() {
			dfPath, _ = filepath.Abs(m.Dockerfile.ValueString())
		}
		_, raw, name, err := buildctx.ReadIgnoreFile(dir, dfPath)
		if err != nil {
			resp.Diagnostics.Append(diagContextError(dir, err))
			return
		}
		if raw != nil {
			in.Dockerignore, in.DockerignoreName = raw, filepath.Join(dir, name)
		}
		if entries, err := os.ReadDir(dir); err == nil {
			for _, e := range entries {
				in.ContextFiles = append(in.ContextFiles, e.Name())
			}
		}
	}
	resp.Diagnostics.Append(m.policySettings.apply(ctx, &in)...)
	if !m.VulnerabilityReport.IsNull() {
		b, name, err := readVulnReport(m.VulnerabilityReport.ValueString())
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("vulnerability_report"), "Vulnerability Report Not Readable", err.Error())
			return
		}
		in.VulnReport, in.VulnReportName = b, name
	}
	var maxv map[string]int64
	if !m.MaxVulnerabilities.IsNull() {
		resp.Diagnostics.Append(m.MaxVulnerabilities.ElementsAs(ctx, &maxv, false)...)
	}
	resp.Diagnostics.Append(vulnSettings(maxv, m.IgnoreVulnerabilities, &in)...)
	in.MaxImageSizeMB = int(m.MaxImageSizeMB.ValueInt64())
	if resp.Diagnostics.HasError() {
		return
	}
	if !m.Image.IsNull() {
		if d.data == nil {
			resp.Diagnostics.Append(diagUnconfigured())
			return
		}
		start := time.Now()
		facts, err := scanImage(ctx, d.data.registry, m.Image.ValueString(), m.Platform.ValueString())
		if err != nil {
			resp.Diagnostics.Append(diagImageError(m.Image.ValueString(), d.data.registry, err))
			return
		}
		tflog.Info(ctx, "prodimage_policy: image scanned", map[string]any{"image": m.Image.ValueString(), "platforms": len(facts.Platforms), "elapsed": time.Since(start).String()})
		in.Image = facts
	}
	report, diags := evaluatePolicy(in)
	resp.Diagnostics.Append(diags...)
	if report == nil {
		return
	}
	m.ID = types.StringValue(in.DockerfileName)
	if in.DockerfileName == "" {
		m.ID = m.Image
	}
	resp.Diagnostics.Append(m.setReport(ctx, report)...)
	summary := "Dockerfile Policy Violations"
	if in.Dockerfile == nil {
		summary = "Image Policy Violations"
	}
	resp.Diagnostics.Append(policyDiagnostics(report, m.Enforce.IsNull() || m.Enforce.ValueBool(), summary)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// apply copies the shared settings into a policy input.
func (s *policySettings) apply(ctx context.Context, in *policy.Input) diag.Diagnostics {
	var diags diag.Diagnostics
	in.FailOn = policy.Medium
	if !s.FailOn.IsNull() {
		sev, err := policy.ParseSeverity(s.FailOn.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("fail_on"), "Invalid Severity", err.Error())
		}
		in.FailOn = sev
	}
	in.Ignore = strList(ctx, s.Ignore, &diags)
	if ov := strMap(ctx, s.SeverityOverrides, &diags); ov != nil {
		in.SeverityOverrides = map[string]policy.Severity{}
		for rule, name := range ov {
			sev, err := policy.ParseSeverity(name)
			if err != nil {
				diags.AddAttributeError(path.Root("severity_overrides").AtMapKey(rule), "Invalid Severity",
					fmt.Sprintf("%q is not a severity; use one of %s.", name, strings.Join(severityNames, ", ")))
				continue
			}
			in.SeverityOverrides[rule] = sev
		}
	}
	in.RequiredLabels = strList(ctx, s.RequiredLabels, &diags)
	in.TrustedRegistries = strList(ctx, s.TrustedRegistries, &diags)
	in.AllowInlineIgnores = s.AllowInlineIgnores.IsNull() || s.AllowInlineIgnores.ValueBool()
	return diags
}

func evaluatePolicy(in policy.Input) (*policy.Report, diag.Diagnostics) {
	var diags diag.Diagnostics
	report, err := policy.Evaluate(in)
	if err != nil {
		if errors.Is(err, policy.ErrInvalidConfig) {
			diags.AddError("Invalid Policy Configuration", detail("The policy settings are not valid.",
				"Fix the named rule, alias or target and plan again; the rule catalog is in the prodimage_policy documentation.", err))
		} else {
			diags.AddError("Policy Evaluation Failed", detail("prodimage could not evaluate the policy.", "", err))
		}
		return nil, diags
	}
	return report, diags
}

func (m *policyDataModel) setReport(ctx context.Context, r *policy.Report) diag.Diagnostics {
	var diags diag.Diagnostics
	m.Passed = types.BoolValue(r.Passed)
	findings := make([]attr.Value, 0, len(r.Findings))
	for _, f := range r.Findings {
		obj, d := types.ObjectValue(findingAttrTypes, map[string]attr.Value{
			"rule": types.StringValue(f.Rule), "severity": types.StringValue(f.Severity), "checklist": types.StringValue(f.Checklist),
			"message": types.StringValue(f.Message), "file": types.StringValue(f.File), "line": types.Int64Value(int64(f.Line)),
			"stage": types.StringValue(f.Stage), "fix": types.StringValue(f.Fix), "ignored": types.BoolValue(f.Ignored),
		})
		diags.Append(d...)
		findings = append(findings, obj)
	}
	fl, d := types.ListValue(types.ObjectType{AttrTypes: findingAttrTypes}, findings)
	diags.Append(d...)
	m.Findings = fl
	m.Checklist = mapVal(r.Checklist)
	counts := map[string]attr.Value{}
	for k, v := range r.Counts {
		counts[k] = types.Int64Value(int64(v))
	}
	cm, d := types.MapValue(types.Int64Type, counts)
	diags.Append(d...)
	m.Counts = cm
	sarif, err := r.SARIF()
	if err != nil {
		diags.AddError("Policy Report Failed", err.Error())
	}
	js, err := r.JSON()
	if err != nil {
		diags.AddError("Policy Report Failed", err.Error())
	}
	m.SARIF = types.StringValue(string(sarif))
	m.ReportJSON = types.StringValue(string(js))
	return diags
}

// policyDiagnostics turns a report into what a person reads in the plan output: one
// error listing every active finding at or above fail_on with its fix, and one warning
// for the findings below it.
func policyDiagnostics(r *policy.Report, enforce bool, summary string) diag.Diagnostics {
	var diags diag.Diagnostics
	failOn, _ := policy.ParseSeverity(r.FailOn)
	var blocking, below []policy.Finding
	for _, f := range r.Active() {
		sev, _ := policy.ParseSeverity(f.Severity)
		switch {
		case sev >= failOn && sev > policy.Info:
			blocking = append(blocking, f)
		case sev > policy.Info:
			below = append(below, f)
		}
	}
	format := func(fs []policy.Finding, withFix bool) string {
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].Line < fs[j].Line })
		var b strings.Builder
		for _, f := range fs {
			loc := f.File
			if f.Line > 0 {
				loc = fmt.Sprintf("%s:%d", f.File, f.Line)
			}
			fmt.Fprintf(&b, "%s [%s] %s: %s\n", loc, f.Severity, f.Rule, f.Message)
			if withFix && f.Fix != "" {
				fmt.Fprintf(&b, "    fix: %s\n", f.Fix)
			}
		}
		return b.String()
	}
	if len(blocking) > 0 {
		text := fmt.Sprintf("%d finding(s) at or above %q:\n\n%s\nFix them, or suppress one deliberately with `ignore = [\"rule\"]` or a "+
			"`# prodimage:ignore=rule -- reason` comment above the line.", len(blocking), r.FailOn, format(blocking, true))
		if enforce {
			diags.AddError(summary, text)
		} else {
			diags.AddWarning(summary, text+"\n\n(enforce = false: reported, not failing.)")
		}
	}
	if len(below) > 0 {
		diags.AddWarning("Policy Findings Below Threshold", fmt.Sprintf(
			"%d finding(s) below fail_on %q (not failing):\n\n%s", len(below), r.FailOn, format(below, true)))
	}
	return diags
}
