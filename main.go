// Command terraform-provider-prodimage serves the prodimage Terraform/OpenTofu provider.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/prodimage/terraform-provider-prodimage/internal/provider"
)

// version is set by goreleaser through -ldflags "-X main.version=…".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/prodimage/prodimage",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
