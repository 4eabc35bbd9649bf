data "prodimage_builder" "this" {}

# Fail the plan early when the builder cannot serve a platform you deploy to.
locals {
  platforms = ["linux/amd64", "linux/arm64"]
}

check "builder_platforms" {
  assert {
    condition     = alltrue([for p in local.platforms : contains(data.prodimage_builder.this.platforms, p)])
    error_message = "The BuildKit builder cannot build ${join(", ", local.platforms)}: register QEMU (binfmt) or add a native worker."
  }
}

output "buildkit" {
  value = "${data.prodimage_builder.this.buildkit_version}: ${join(", ", data.prodimage_builder.this.platforms)}"
}
