# `terraform plan` fails with "Dockerfile Policy Violations" when the Dockerfile
# breaks the production checklist; each finding names the line, the rule and the fix.
data "prodimage_policy" "api" {
  dockerfile = "${path.module}/api/Dockerfile"
  context    = "${path.module}/api" # for .dockerignore; default: the Dockerfile's folder
  target     = "production"

  fail_on            = "medium"
  ignore             = ["healthcheck-missing"] # Kubernetes probes cover it
  severity_overrides = { "oci-labels" = "high" }
  required_labels    = ["org.opencontainers.image.source", "org.opencontainers.image.revision"]
  trusted_registries = ["registry.example.com", "docker.io/library"]
}

# Upload to code scanning, or keep for audit.
resource "local_file" "sarif" {
  content  = data.prodimage_policy.api.sarif
  filename = "${path.module}/policy.sarif"
}

output "checklist" {
  value = data.prodimage_policy.api.checklist # { non_root_user = "pass", healthcheck = "fail", ... }
}
