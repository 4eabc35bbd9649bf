package provider

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func (r *buildResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Builds an image from a Dockerfile through BuildKit, for one or many platforms in one solve, " +
			"pushes every tag, and records the digest. Feed `image_ref` (`repo@sha256:…`) to deployments: it changes " +
			"exactly when the image does. The plan computes `context_digest` over everything the build reads; when it " +
			"and every other input are unchanged the plan is empty and nothing is built.",
		Blocks: map[string]schema.Block{
			"policy":   buildPolicyBlock(),
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true}),
		},
		Attributes: map[string]schema.Attribute{
			// Required.
			"context": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Build context directory. Files excluded by `.dockerignore` (or `<Dockerfile>.dockerignore`) are neither sent nor digested.",
			},
			"tags": schema.ListAttribute{
				Required: true, ElementType: types.StringType,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.ValueStringsAre(stringvalidator.RegexMatches(regexp.MustCompile(`^[^\s@]+:[\w][\w.-]{0,127}$`),
						"must be registry/repo:tag, e.g. registry.example.com/team/api:1.4.2")),
				},
				MarkdownDescription: "Tags to push, `registry/repo:tag`; at least one. All are pushed by the same solve. `image_ref` uses the first tag's repository.",
			},
			// Optional.
			"dockerfile": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Dockerfile path, relative to `context` or absolute. Default `Dockerfile`.",
				Validators:          []validator.String{stringvalidator.ConflictsWith(path.MatchRoot("dockerfile_inline"))},
			},
			"dockerfile_inline": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Dockerfile content, instead of a file.",
			},
			"target": schema.StringAttribute{Optional: true, MarkdownDescription: "Stage to build. Default: the last stage."},
			"platforms": schema.ListAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Platforms, e.g. `[\"linux/amd64\", \"linux/arm64\"]`. Default: the builder's native platform. " +
					"With one platform and no attestations the tags point at an image manifest, not an index (AWS Lambda and Cloud Run need that).",
			},
			"build_args": schema.MapAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: "Build arguments (`ARG`). They are visible in the image history: use `secrets` for credentials."},
			"labels": schema.MapAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Image labels, merged over the provider's `default_labels` and the automatic OCI labels.",
			},
			"annotations": schema.MapAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: "OCI annotations on the index and every manifest."},
			"oci_labels": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Add `org.opencontainers.image.created`, `.revision` and `.source` (from the context's git checkout), " +
					"`.version` (the first tag's tag) as labels and annotations. Default `true`.",
			},
			"secrets": schema.MapNestedAttribute{
				Optional: true,
				MarkdownDescription: "Build secrets by id, for `RUN --mount=type=secret,id=…`. Served through the BuildKit session: never in the image, the plan or the state. " +
					"Give exactly one of `value` (write-only; Terraform/OpenTofu 1.11+), `env` or `file`.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"value": schema.StringAttribute{Optional: true, WriteOnly: true, Sensitive: true, MarkdownDescription: "The secret itself. Write-only: never stored."},
						"env":   schema.StringAttribute{Optional: true, MarkdownDescription: "Name of an environment variable read at apply."},
						"file":  schema.StringAttribute{Optional: true, MarkdownDescription: "Path of a file read at apply."},
					},
				},
			},
			"ssh": schema.ListAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "SSH agents or keys for `RUN --mount=type=ssh`: `default` (the `SSH_AUTH_SOCK` agent) or `id=path[,path…]`.",
			},
			"contexts": schema.MapAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Named build contexts: `name = \"docker-image://registry/img@sha256:…\"` or a local directory. " +
					"A name matching a `FROM` image replaces it, so the same Dockerfile works offline with a mirror.",
			},
			"cache_from": schema.ListAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: "Cache imports, e.g. `type=registry,ref=registry.example.com/app:cache`."},
			"cache_to":   schema.ListAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: "Cache exports, e.g. `type=registry,ref=registry.example.com/app:cache,mode=max`."},
			"no_cache":   schema.BoolAttribute{Optional: true, MarkdownDescription: "Build without BuildKit's cache. Default `false`."},
			"pull":       schema.BoolAttribute{Optional: true, MarkdownDescription: "Always check the registry for newer base images. Default `false`."},
			"source_date_epoch": schema.StringAttribute{
				Optional: true,
				Validators: []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^([0-9]+|git)$`),
					"must be a number of seconds since 1970, or \"git\" (the commit time of the context's HEAD)")},
				MarkdownDescription: "Makes the build reproducible: `SOURCE_DATE_EPOCH` plus timestamp rewriting, so identical inputs give an identical digest. " +
					"A number of seconds, or `\"git\"` for the commit time of the context's HEAD.",
			},
			"provenance": schema.StringAttribute{
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf("off", "min", "max")},
				MarkdownDescription: "SLSA provenance attestation: `off` (default), `min` or `max`. Attestations make the result an index.",
			},
			"sbom":     schema.BoolAttribute{Optional: true, MarkdownDescription: "Attach an SBOM attestation (the builder must be able to pull the scanner image). Default `false`."},
			"triggers": schema.MapAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: "Arbitrary values; any change rebuilds."},
			"delete_on_destroy": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Delete the pushed manifests from the registry on destroy. Default `false`: running deployments may still pull them.",
			},
			"pin_base_images": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Resolve every external image the target needs (`FROM`, `COPY --from=<image>`, `RUN --mount=from=<image>`, after ARG " +
					"substitution, following `contexts`) to a digest at plan time, and build with exactly those digests, so what was planned is what " +
					"is built. When an upstream tag moves, the next plan shows `base_images` and the image changing. References already pinned by " +
					"digest are used as written. Default `true`; `false` builds the Dockerfile as written.",
			},

			// Computed.
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The first tag.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"digest":    schema.StringAttribute{Computed: true, MarkdownDescription: "Digest the tags point at: the index for multi-platform or attested builds, else the image manifest."},
			"image_ref": schema.StringAttribute{Computed: true, MarkdownDescription: "`<repository of the first tag>@<digest>`: what deployments should use."},
			"refs": schema.MapAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Each tag → `repo:tag@digest`. A tag moved or deleted outside Terraform shows here after refresh and is re-pointed by the next apply.",
			},
			"platform_digests": schema.MapAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "`os/arch[/variant]` → image manifest digest."},
			"context_digest": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Digest of everything the build reads (context after `.dockerignore`, Dockerfile, named local contexts, build args, target, platforms, secret ids), computed at plan time.",
			},
			"metadata": schema.StringAttribute{Computed: true, MarkdownDescription: "JSON of BuildKit's exporter response."},
			"base_images": schema.MapAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Each external image the build uses (its reference after ARG substitution, in BuildKit's short form) → the " +
					"pinned `repo@sha256:…` it was built from. Empty with `pin_base_images = false`.",
			},
		},
	}
}
