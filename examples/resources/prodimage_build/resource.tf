# A multi-arch production image, pinned by digest for the deployment that runs it.
resource "prodimage_build" "api" {
  context   = "${path.module}/api"
  platforms = ["linux/amd64", "linux/arm64"]
  tags = [
    "registry.example.com/team/api:1.4.2",
    "registry.example.com/team/api:stable",
  ]

  build_args = { VERSION = "1.4.2" }
  labels     = { "org.opencontainers.image.title" = "api" }

  # Build secrets reach RUN --mount=type=secret and nothing else: with an
  # ephemeral variable the value is in neither the plan nor the state.
  secrets = {
    npm_token = { value = var.npm_token }
    pip_conf  = { file = "${path.module}/secrets/pip.conf" }
  }

  cache_from = ["type=registry,ref=registry.example.com/team/api:buildcache"]
  cache_to   = ["type=registry,ref=registry.example.com/team/api:buildcache,mode=max"]

  # Reproducible: identical inputs give an identical digest.
  source_date_epoch = "git"

  # Fail the plan, before anything is built, when the Dockerfile breaks the
  # production checklist (the rules of prodimage_policy).
  policy {
    fail_on = "medium"
  }
}

variable "npm_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

# Downstream resources take the pinned reference: they change exactly when the
# image does.
output "api_image" {
  value = prodimage_build.api.image_ref # registry.example.com/team/api@sha256:…
}
