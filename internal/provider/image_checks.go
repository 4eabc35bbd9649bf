package provider

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/prodimage/terraform-provider-prodimage/internal/imagescan"
	"github.com/prodimage/terraform-provider-prodimage/internal/policy"
	"github.com/prodimage/terraform-provider-prodimage/internal/registry"
)

// scanImage streams ref's layers (once each) and returns the facts the image rules read.
func scanImage(ctx context.Context, reg *registry.Client, ref, platform string) (*policy.ImageFacts, error) {
	r, err := reg.ParseReference(ref)
	if err != nil {
		return nil, err
	}
	res, err := imagescan.Scan(ctx, r, imagescan.Options{Remote: reg.RemoteOptions(ctx), Platform: platform})
	if err != nil {
		return nil, err
	}
	facts := &policy.ImageFacts{Ref: ref}
	for _, p := range res.Platforms {
		pi := policy.PlatformImage{
			Platform:       p.Platform,
			Digest:         p.Digest,
			User:           p.Config.User,
			Env:            p.Config.Env,
			Labels:         p.Config.Labels,
			Entrypoint:     p.Config.Entrypoint,
			Cmd:            p.Config.Cmd,
			CompressedSize: p.CompressedSize,
			SetuidFiles:    p.SetuidFiles,
			Passwd:         p.Passwd,
			HasShell:       p.HasShell,
		}
		if hc := p.Config.Healthcheck; hc != nil {
			pi.Healthcheck = hc.Test
			if pi.Healthcheck == nil {
				pi.Healthcheck = []string{}
			}
		}
		for _, h := range p.History {
			pi.History = append(pi.History, h.CreatedBy)
		}
		for _, s := range p.SecretFiles {
			pi.SecretFiles = append(pi.SecretFiles, policy.ImageSecretFile{
				Path: s.Path, Layer: s.Layer, Kind: s.Kind, Deleted: s.Deleted, CreatedBy: s.CreatedBy,
			})
		}
		facts.Platforms = append(facts.Platforms, pi)
	}
	return facts, nil
}

// readVulnReport takes a scanner report given as content or as a path.
func readVulnReport(v string) ([]byte, string, error) {
	t := strings.TrimSpace(v)
	if strings.HasPrefix(t, "{") {
		return []byte(t), "vulnerability_report", nil
	}
	b, err := os.ReadFile(t)
	if err != nil {
		return nil, t, fmt.Errorf("vulnerability_report %q is neither JSON content nor a readable file: %w", t, err)
	}
	return b, t, nil
}

// vulnSettings converts max_vulnerabilities and ignore_vulnerabilities.
func vulnSettings(maxv map[string]int64, ignores []vulnIgnoreModel, in *policy.Input) diag.Diagnostics {
	var diags diag.Diagnostics
	if maxv != nil {
		in.MaxVulnerabilities = map[policy.Severity]int{}
		for name, n := range maxv {
			sev, err := policy.ParseSeverity(name)
			if err != nil {
				diags.AddAttributeError(path.Root("max_vulnerabilities").AtMapKey(name), "Invalid Severity",
					fmt.Sprintf("%q is not a severity; use one of %s.", name, strings.Join(severityNames, ", ")))
				continue
			}
			in.MaxVulnerabilities[sev] = int(n)
		}
	}
	for i, ig := range ignores {
		vi := policy.VulnIgnore{ID: ig.ID.ValueString()}
		if e := ig.Expires.ValueString(); e != "" {
			t, err := time.Parse("2006-01-02", e)
			if err != nil {
				if t, err = time.Parse(time.RFC3339, e); err != nil {
					diags.AddAttributeError(path.Root("ignore_vulnerabilities").AtListIndex(i).AtName("expires"), "Invalid Expiry Date",
						fmt.Sprintf("%q is not a date; write YYYY-MM-DD (the ignore applies until the end of that day, UTC) or RFC 3339.", e))
					continue
				}
			} else {
				t = t.Add(24 * time.Hour) // through the end of the named day
			}
			vi.Expires = t
		}
		in.IgnoreVulnerabilities = append(in.IgnoreVulnerabilities, vi)
	}
	return diags
}
