//go:build tools

// Package buildkit pins the BuildKit daemon and CLI that the acceptance tests run.
// They are built from the Go module proxy (go install cannot: BuildKit's go.mod
// carries exclude directives).
package buildkit

import (
	_ "github.com/moby/buildkit/cmd/buildctl"
	_ "github.com/moby/buildkit/cmd/buildkitd"
)
