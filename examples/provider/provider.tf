provider "prodimage" {
  builder {
    # Default: BUILDKIT_HOST, else unix:///run/buildkit/buildkitd.sock
    address = "tcp://buildkitd.internal:1234"
    tls {
      ca_cert = "${path.module}/certs/ca.pem"
      cert    = "${path.module}/certs/client.pem"
      key     = "${path.module}/certs/client-key.pem"
    }
  }

  registry_auth {
    address  = "registry.example.com"
    username = "ci"
    password = var.registry_password
  }

  default_labels = {
    "org.opencontainers.image.vendor" = "Example Corp"
  }
}

variable "registry_password" {
  type      = string
  sensitive = true
}
