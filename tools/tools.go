//go:build tools

// Package tools pins the documentation generator; the test daemons and CLIs are pinned in
// the buildkit/ and opentofu/ modules beside it.
package tools

import _ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
