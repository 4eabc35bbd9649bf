package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/prodimage/terraform-provider-prodimage/internal/build"
	"github.com/prodimage/terraform-provider-prodimage/internal/registry"
)

// Every diagnostic the provider emits is built here so that the summaries stay few and
// stable (users grep for them) and every detail says what happened, what to do, and then
// the original error.

func detail(what, todo string, err error) string {
	var b strings.Builder
	b.WriteString(what)
	if todo != "" {
		b.WriteString("\n\n")
		b.WriteString(todo)
	}
	if err != nil {
		b.WriteString("\n\nError: ")
		b.WriteString(err.Error())
	}
	return b.String()
}

func diagBuildkitUnreachable(address string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("BuildKit Unreachable", detail(
		fmt.Sprintf("prodimage could not reach the BuildKit daemon at %s.", address),
		"Start buildkitd there (for example `buildkitd --addr "+address+"`), or point the provider at a running daemon "+
			"with `builder { address = \"...\" }` or the BUILDKIT_HOST environment variable.",
		err))
}

// diagBuilderError reports a failure talking to BuildKit, as Unreachable when it is one.
func diagBuilderError(summary, address string, err error) diag.Diagnostic {
	var ue *build.UnreachableError
	if errors.As(err, &ue) {
		return diagBuildkitUnreachable(ue.Address, ue.Err)
	}
	return diag.NewErrorDiagnostic(summary, detail(
		fmt.Sprintf("The BuildKit daemon at %s returned an error.", address),
		"Check the daemon's log; if it is a transient failure, run the command again.",
		err))
}

func diagInvalidProviderConfig(attr string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Invalid Provider Configuration", detail(
		fmt.Sprintf("The provider's %s setting is not valid.", attr),
		"Correct the provider block (or the environment variable that supplies it) and run the command again.",
		err))
}

func diagUnconfigured() diag.Diagnostic {
	return diag.NewErrorDiagnostic("Provider Not Configured", detail(
		"The prodimage provider was used before it was configured.",
		"This is a bug in prodimage or the Terraform/OpenTofu CLI; please report it with the command you ran.",
		nil))
}

// diagRegistryError reports a registry failure, naming the auth sources tried on a 401/403.
func diagRegistryError(summary, ref string, reg *registry.Client, err error, what string) diag.Diagnostic {
	todo := "Check that the registry is reachable from this machine and run the command again."
	if errors.Is(err, registry.ErrUnauthorized) {
		summary = "Registry Unauthorized"
		host := hostOfRef(ref)
		todo = fmt.Sprintf("The registry refused the credentials for %s. Tried, in order: %s. Fix the provider's registry_auth "+
			"block for %s or `docker login %s`.", ref, strings.Join(reg.SourcesTried(host), "; "), host, host)
	} else if errors.Is(err, registry.ErrNotFound) {
		todo = fmt.Sprintf("%s does not exist in the registry. Check the reference.", ref)
	}
	return diag.NewErrorDiagnostic(summary, detail(what, todo, err))
}

func hostOfRef(ref string) string {
	if i := strings.Index(ref, "/"); i >= 0 {
		return ref[:i]
	}
	return "docker.io"
}

func diagContextError(contextDir string, err error) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("context"), "Invalid Build Context", detail(
		fmt.Sprintf("prodimage could not read the build context %s.", contextDir),
		"Fix the path (relative paths are resolved from the directory Terraform runs in; use \"${path.module}/…\"), "+
			"or the Dockerfile/.dockerignore it names, and plan again.", err))
}

func pathRoot(name string) path.Path { return path.Root(name) }
