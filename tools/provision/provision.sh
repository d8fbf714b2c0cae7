#!/usr/bin/env bash
# The one recipe for the build environment: a Debian sid system with Bazel 7, rules_rust,
# the C++ and Rust toolchains and cargo-bazel. tools/bazel runs it against a directory on the
# host; Dockerfile.rust-ffi runs it inside the image. Nothing here downloads from anywhere but
# the Debian archive and crates.io.
#
#   provision.sh root DIR           debootstrap sid into DIR, then install (needs root)
#   provision.sh system             install into the running sid system (the image)
#   provision.sh cargo-bazel DEST   build cargo-bazel from Debian's rules_rust source into DEST
#   provision.sh key                print the cache key of this recipe
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
packages_file="$here/packages.txt"
# The crate_universe generator must match the rules_rust that Debian ships.
CARGO_BAZEL_VERSION=0.15.0

log() { printf '[provision] %s\n' "$*" >&2; }
die() { printf '[provision] error: %s\n' "$*" >&2; exit 1; }

packages() { grep -v -e '^#' -e '^[[:space:]]*$' "$packages_file"; }

# The archive the host itself uses, so that no other mirror is ever contacted.
debian_mirror() {
  if [[ -n "${RAY_DEBIAN_MIRROR:-}" ]]; then echo "$RAY_DEBIAN_MIRROR"; return; fi
  local uri
  uri=$(grep -h -E '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list \
          2>/dev/null | grep -v -e security -e '\[.*\]' | head -n 1 | awk '{print $2}' || true)
  [[ -n "$uri" ]] || return 1
  echo "$uri"
}

# apt inside the sid system: the archive's sid Release may be past Valid-Until, and
# TLS-inspecting egress needs the host's extra CA certificates.
configure_apt() {
  local root=$1
  echo 'Acquire::Check-Valid-Until "false";' > "$root/etc/apt/apt.conf.d/99ray-no-valid-until"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' \
    > "$root/etc/apt/apt.conf.d/99ray-no-recommends"
  if compgen -G "/usr/local/share/ca-certificates/*.crt" > /dev/null && [[ "$root" != / ]]; then
    mkdir -p "$root/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  fi
}

install_packages() {
  local -a run=("$@")  # command prefix that enters the system (empty for the running one)
  "${run[@]}" update-ca-certificates > /dev/null 2>&1 || true
  log "apt-get update"
  "${run[@]}" apt-get update -qq
  log "installing $(packages | wc -l) pinned packages"
  # shellcheck disable=SC2046
  "${run[@]}" apt-get install -y -qq $(packages) > /dev/null
  "${run[@]}" apt-get clean
}

# cargo-bazel 0.15 looks for the crates.io index cache under the directory name that cargo used
# before 1.85; today's cargo writes it under a new name. Make both names one directory.
cargo_home_compat() {
  local index="$1/registry/index"
  mkdir -p "$index/index.crates.io-1949cf8c6b5b557f"
  ln -sfn index.crates.io-1949cf8c6b5b557f "$index/index.crates.io-6f17d22bba15001f"
}

cmd_root() {
  local root=${1:?usage: provision.sh root DIR}
  [[ $EUID -eq 0 ]] || die "provisioning a root needs root (or a user namespace that maps it)"
  command -v debootstrap > /dev/null || {
    log "installing debootstrap on the host"
    apt-get install -y -qq debootstrap > /dev/null || die "could not install debootstrap"
  }
  local mirror
  mirror=$(debian_mirror) || die "no Debian archive in the host's apt sources: set RAY_DEBIAN_MIRROR"
  log "debootstrap sid from $mirror"
  rm -rf "$root"
  mkdir -p "$root"
  debootstrap --variant=minbase --include=ca-certificates sid "$root" "$mirror" \
    > "$root.debootstrap.log" 2>&1 || die "debootstrap failed, see $root.debootstrap.log"
  configure_apt "$root"
  mount -t proc proc "$root/proc"
  trap 'umount "$root/proc" 2>/dev/null || true' EXIT
  install_packages chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    DEBIAN_FRONTEND=noninteractive
  umount "$root/proc"
  trap - EXIT
  cargo_home_compat "$root/root/.cargo"
}

cmd_system() {
  configure_apt /
  install_packages env DEBIAN_FRONTEND=noninteractive
  cargo_home_compat "${CARGO_HOME:-$HOME/.cargo}"
  cmd_cargo_bazel "/opt/cargo-bazel/$CARGO_BAZEL_VERSION"
}

cmd_cargo_bazel() {
  local dest=${1:?usage: provision.sh cargo-bazel DEST}
  local src=/usr/share/bazel/rules/rust/crate_universe
  [[ -x "$dest/cargo-bazel" ]] && return 0
  [[ -d "$src" ]] || die "$src missing: is bazel-rules-rust installed?"
  local version
  version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$src/Cargo.toml" | head -n 1)
  [[ "$version" == "$CARGO_BAZEL_VERSION" ]] ||
    die "Debian ships cargo-bazel $version, the build expects $CARGO_BAZEL_VERSION"
  local work
  work=$(mktemp -d)
  cp -r "$src/." "$work/"
  log "building cargo-bazel $version (about 5 minutes on 2 cores, once per machine)"
  (cd "$work" && CARGO_HOME="$work/.cargo-home" cargo build --release --locked --quiet --bin cargo-bazel)
  mkdir -p "$dest"
  install -m 0755 "$work/target/release/cargo-bazel" "$dest/cargo-bazel.tmp"
  mv "$dest/cargo-bazel.tmp" "$dest/cargo-bazel"
  rm -rf "$work"
}

cmd_key() {
  cat "$packages_file" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16
}

case "${1:-}" in
  root) shift; cmd_root "$@" ;;
  system) shift; cmd_system "$@" ;;
  cargo-bazel) shift; cmd_cargo_bazel "$@" ;;
  key) cmd_key ;;
  *) die "usage: provision.sh root DIR | system | cargo-bazel DEST | key" ;;
esac
