# prodimage quickstart: build a multi-arch image, push it, and hand its pinned
# reference to a deployment. `make demo` runs this against a local BuildKit and
# registry; point the variables at yours to run it anywhere.

terraform {
  required_version = ">= 1.11"
  required_providers {
    prodimage = {
      source = "prodimage/prodimage"
    }
  }
}

variable "builder_address" {
  description = "BuildKit daemon address."
  type        = string
  default     = "unix:///run/buildkit/buildkitd.sock"
}

variable "registry" {
  description = "Registry host (host[:port]) to push to."
  type        = string
  default     = "localhost:5000"
}

variable "insecure_registries" {
  description = "Registries reached over plain HTTP (local development only)."
  type        = list(string)
  default     = []
}

variable "base_image_mirror" {
  description = "Named build contexts that replace base images, e.g. an internal mirror of golang:1.26. Empty: pull from Docker Hub."
  type        = map(string)
  default     = {}
}

provider "prodimage" {
  builder {
    address = var.builder_address
  }
  insecure_registries = var.insecure_registries
}

resource "prodimage_build" "app" {
  context    = "${path.module}/app"
  platforms  = ["linux/amd64", "linux/arm64"]
  tags       = ["${var.registry}/quickstart/hello:1.0.0"]
  build_args = { VERSION = "1.0.0" }
  contexts   = var.base_image_mirror
  labels = {
    "org.opencontainers.image.source" = "https://github.com/prodimage/terraform-provider-prodimage"
  }
}

# Stands in for a Kubernetes Deployment or an ECS task definition: it is replaced
# exactly when the image changes, and never on a no-op plan.
resource "terraform_data" "deployment" {
  input            = { image = prodimage_build.app.image_ref }
  triggers_replace = prodimage_build.app.image_ref
}

output "image_ref" {
  description = "The pinned reference deployments should use."
  value       = prodimage_build.app.image_ref
}

output "platform_digests" {
  description = "Per-platform image manifests."
  value       = prodimage_build.app.platform_digests
}
