#!/usr/bin/env bash
# Installs and builds everything the demo and the acceptance tests need, idempotently:
# Debian packages (runc, docker-registry, qemu-user-static, openssh-client), static busybox for amd64 and
# arm64 (extracted into the cache, not installed), buildkitd/buildctl and OpenTofu built
# from the Go module proxy, tfplugindocs, and binfmt_misc for linux/arm64 RUN steps.
# Everything built or downloaded lives under $CACHE (default .cache/, git-ignored).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CACHE:-$root/.cache}
BIN=$CACHE/bin
mkdir -p "$BIN"

log() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

need_root() {
  if [ "$(id -u)" != 0 ]; then
    echo "setup: $1 needs root (apt-get, mount). Run \`sudo make setup\` once, then \`make test\` as you." >&2
    exit 1
  fi
}

# --- Debian packages -------------------------------------------------------------
missing=()
command -v runc >/dev/null || missing+=(runc)
command -v docker-registry >/dev/null || missing+=(docker-registry)
command -v ssh-agent >/dev/null || missing+=(openssh-client)
[ -e /usr/libexec/qemu-binfmt/aarch64-binfmt-P ] || [ -e /usr/bin/qemu-aarch64-static ] || missing+=(qemu-user-static)
if [ ${#missing[@]} -gt 0 ]; then
  need_root "installing ${missing[*]}"
  log "apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- static busybox for both architectures (seeds the test base image) ------------
for arch in amd64 arm64; do
  if [ ! -x "$CACHE/busybox/$arch/bin/busybox" ]; then
    log "fetching busybox-static:$arch"
    dpkg --print-foreign-architectures | grep -qx "$arch" || [ "$(dpkg --print-architecture)" = "$arch" ] || {
      need_root "adding the $arch architecture"; dpkg --add-architecture "$arch"; apt-get update -qq; }
    tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download -qq "busybox-static:$arch" 2>/dev/null) || {
      apt-get update -qq && (cd "$tmp" && apt-get download -qq "busybox-static:$arch"); }
    mkdir -p "$CACHE/busybox/$arch"
    dpkg-deb -x "$tmp"/busybox-static_*.deb "$tmp/x"
    install -m 0755 "$tmp/x/bin/busybox" "$CACHE/busybox/$arch/bin/busybox" 2>/dev/null || {
      mkdir -p "$CACHE/busybox/$arch/bin"; install -m 0755 "$tmp/x/bin/busybox" "$CACHE/busybox/$arch/bin/busybox"; }
    rm -rf "$tmp"
  fi
done

# --- Go-built tools, rebuilt only when their pinned module changes ---------------
build_tool() { # name module-dir stamp-source packages...
  local name=$1 dir=$2; shift 2
  local stamp="$BIN/.$name.sum"
  local want; want=$( (cat "$root/$dir/go.mod" "$root/$dir/go.sum"; echo "${LDFLAGS:-}") | sha256sum | cut -d' ' -f1)
  if [ -x "$BIN/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return; fi
  log "building $name from $dir (first time: a few minutes)"
  (cd "$root/$dir" && go build -ldflags "${LDFLAGS:-}" -o "$BIN/" "$@")
  echo "$want" > "$stamp"
}
LDFLAGS="-X github.com/moby/buildkit/version.Version=v0.34.2 -X github.com/moby/buildkit/version.Package=github.com/moby/buildkit" \
  build_tool buildkitd tools/buildkit github.com/moby/buildkit/cmd/buildkitd github.com/moby/buildkit/cmd/buildctl
LDFLAGS="-X github.com/opentofu/opentofu/version.dev=no" \
  build_tool tofu tools/opentofu github.com/opentofu/opentofu/cmd/tofu
build_tool tfplugindocs tools github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs

# --- Terraform ---------------------------------------------------------------------
if ! command -v terraform >/dev/null; then
  echo "setup: terraform is not on the PATH. Install Terraform >= 1.11 (write-only attributes need it) and run again." >&2
  exit 1
fi

# --- binfmt_misc for linux/arm64 RUN steps -------------------------------------------
if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
  need_root "mounting binfmt_misc"
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] && [ "$(uname -m)" != aarch64 ]; then
  need_root "registering qemu-aarch64"
  grep -h '^:qemu-aarch64:' /usr/lib/binfmt.d/qemu-aarch64.conf > /proc/sys/fs/binfmt_misc/register
  log "registered qemu-aarch64 with binfmt_misc"
fi
# An empty CLI configuration for the tests (the Makefile points TF_CLI_CONFIG_FILE at it).
[ -f "$CACHE/test.terraformrc" ] || echo '# prodimage tests: intentionally empty' > "$CACHE/test.terraformrc"
log "ready: $(ls "$BIN" | tr '\n' ' ')"
