package provider

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/prodimage/terraform-provider-prodimage/internal/policy"
)

func TestGitSourceDropsCredentials(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) {
		if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q")
	for remote, want := range map[string]string{
		"https://user:s3cret@github.com/acme/api.git": "https://github.com/acme/api",
		"https://github.com/acme/api":                 "https://github.com/acme/api",
		"git@github.com:acme/api.git":                 "https://github.com/acme/api",
		"ssh://git@gitlab.com/acme/api.git":           "ssh://gitlab.com/acme/api",
	} {
		exec.Command("git", "-C", dir, "remote", "remove", "origin").Run()
		run("remote", "add", "origin", remote)
		got := gitSource(dir)
		if got != want {
			t.Errorf("gitSource with origin %q = %q, want %q", remote, got, want)
		}
		if strings.Contains(got, "s3cret") {
			t.Errorf("gitSource leaked a credential: %q", got)
		}
	}
	if got := gitSource(t.TempDir()); got != "" {
		t.Errorf("gitSource outside a checkout = %q, want empty", got)
	}
}

func TestRefParts(t *testing.T) {
	tests := []struct{ ref, repo, tag, host string }{
		{"registry.example.com:5000/team/api:1.4.2", "registry.example.com:5000/team/api", "1.4.2", "registry.example.com:5000"},
		{"ghcr.io/acme/api:latest", "ghcr.io/acme/api", "latest", "ghcr.io"},
		{"acme/api:1", "acme/api", "1", "docker.io"},
		{"localhost:5000/api", "localhost:5000/api", "", "localhost:5000"},
	}
	for _, tt := range tests {
		if got := repoOf(tt.ref); got != tt.repo {
			t.Errorf("repoOf(%q) = %q, want %q", tt.ref, got, tt.repo)
		}
		if got := tagOf(tt.ref); got != tt.tag {
			t.Errorf("tagOf(%q) = %q, want %q", tt.ref, got, tt.tag)
		}
		if got := hostOf(tt.ref); got != tt.host {
			t.Errorf("hostOf(%q) = %q, want %q", tt.ref, got, tt.host)
		}
	}
}

func TestNeedsBuild(t *testing.T) {
	yes, no := true, false
	base := buildInputs{Context: "app", Tags: []string{"r/a:1"}}
	tests := []struct {
		name string
		b    buildInputs
		want bool
	}{
		{"identical", base, false},
		{"empty collections equal absent ones", buildInputs{Context: "app", Tags: []string{"r/a:1"}, BuildArgs: map[string]string{}, Platforms: []string{}}, false},
		{"delete_on_destroy does not rebuild", buildInputs{Context: "app", Tags: []string{"r/a:1"}, DeleteOnDestroy: &yes}, false},
		{"a build arg rebuilds", buildInputs{Context: "app", Tags: []string{"r/a:1"}, BuildArgs: map[string]string{"A": "1"}}, true},
		{"a tag rebuilds", buildInputs{Context: "app", Tags: []string{"r/a:2"}}, true},
		{"oci_labels rebuilds", buildInputs{Context: "app", Tags: []string{"r/a:1"}, OCILabels: &no}, true},
		{"a trigger rebuilds", buildInputs{Context: "app", Tags: []string{"r/a:1"}, Triggers: map[string]string{"x": "1"}}, true},
	}
	for _, tt := range tests {
		b := tt.b
		if got := needsBuild(&base, &b); got != tt.want {
			t.Errorf("%s: needsBuild = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestResolveEpoch(t *testing.T) {
	n := "1700000000"
	got, err := resolveEpoch(&buildInputs{SourceDateEpoch: &n})
	if err != nil || got == nil || *got != 1700000000 {
		t.Errorf("resolveEpoch(%q) = %v, %v", n, got, err)
	}
	g := "git"
	if _, err := resolveEpoch(&buildInputs{Context: t.TempDir(), SourceDateEpoch: &g}); err == nil || !strings.Contains(err.Error(), "git checkout") {
		t.Errorf("resolveEpoch(git) outside a checkout = %v, want an error naming the cause", err)
	}
}

func TestPolicyDiagnosticsFormat(t *testing.T) {
	r := &policy.Report{FailOn: "medium", Findings: []policy.Finding{
		{Rule: "user-root", Severity: "high", Message: "no USER", File: "Dockerfile", Line: 1, Fix: "add USER 10001"},
		{Rule: "maintainer", Severity: "low", Message: "MAINTAINER is deprecated", File: "Dockerfile", Line: 2, Fix: "use a label"},
		{Rule: "from-latest", Severity: "high", Message: "latest", File: "Dockerfile", Line: 1, Ignored: true},
	}}
	diags := policyDiagnostics(r, true, "Dockerfile Policy Violations")
	if diags.ErrorsCount() != 1 || diags.WarningsCount() != 1 {
		t.Fatalf("want one error and one warning, got %v", diags)
	}
	errText := diags.Errors()[0].Detail()
	if !strings.Contains(errText, "Dockerfile:1 [high] user-root: no USER\n    fix: add USER 10001") {
		t.Errorf("error detail lacks the finding line and its fix:\n%s", errText)
	}
	if strings.Contains(errText, "from-latest") || strings.Contains(errText, "maintainer") {
		t.Errorf("ignored and below-threshold findings must not be in the error:\n%s", errText)
	}
	if d := policyDiagnostics(r, false, "Dockerfile Policy Violations"); d.HasError() {
		t.Errorf("enforce = false must not fail: %v", d)
	}
}
