package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/prodimage/terraform-provider-prodimage/internal/build"
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
