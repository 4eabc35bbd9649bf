terraform {
  required_providers {
    prodimage = {
      source = "prodimage/prodimage"
    }
  }
}

# Fails the plan when the Dockerfile breaks the production checklist, down to
# low-severity findings. No BuildKit daemon or network is needed.
data "prodimage_policy" "api" {
  dockerfile      = "${path.module}/Dockerfile"
  context         = path.module
  target          = "production"
  enforce         = true
  fail_on         = "low"
  required_labels = ["org.opencontainers.image.source"]
}

output "passed" {
  value = data.prodimage_policy.api.passed
}

output "checklist" {
  value = data.prodimage_policy.api.checklist
}
