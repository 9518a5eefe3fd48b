#!/usr/bin/env bash
# Installs what building the images needs and is not there yet: Debian's buildah (builds the
# Dockerfile without a Docker engine) and debootstrap (assembles the Debian base images locally).
# Needs root and apt (Debian or Ubuntu); prints nothing when both are installed.
set -euo pipefail
missing=()
command -v buildah >/dev/null || missing+=(buildah)
command -v debootstrap >/dev/null || missing+=(debootstrap)
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null || [ "$(id -u)" -ne 0 ]; then
  echo "images: install ${missing[*]} (needs apt-get as root; see docs/images.md)" >&2
  exit 1
fi
echo "images: installing ${missing[*]} from the distribution's packages" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
