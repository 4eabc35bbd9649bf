# Pin a third-party image for a deployment, the way prodimage_build pins your own.
data "prodimage_image" "redis" {
  ref = "docker.io/library/redis:7.2"
}

output "redis_image" {
  value = data.prodimage_image.redis.image_ref # docker.io/library/redis@sha256:…
}

# Inspect one platform, e.g. to check it does not run as root.
data "prodimage_image" "agent_arm" {
  ref      = "registry.example.com/vendor/agent:3.1"
  platform = "linux/arm64"
}

check "agent_not_root" {
  assert {
    condition     = !contains(["", "root", "0"], data.prodimage_image.agent_arm.user)
    error_message = "The vendor agent runs as root on linux/arm64."
  }
}
