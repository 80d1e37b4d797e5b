#!/bin/sh
# Runs one entry point of the service this image was built for: `main` (default) or `migrate`.
set -eu
entry="${1:-main}"
case "$entry" in
  *[!a-z-]*|'') echo "overcast-entrypoint: entry point must be lowercase letters and dashes, got '$entry'" >&2; exit 64 ;;
esac
: "${SERVICE:?SERVICE is not set: build the image with --build-arg SERVICE=<name>}"
file="${APP_ROOT:-/app}/services/${SERVICE}/src/${entry}.ts"
if [ ! -f "$file" ]; then
  echo "overcast-entrypoint: ${SERVICE} has no '${entry}' entry point (${file})" >&2
  exit 64
fi
# exec: node replaces this shell as PID 1, so SIGTERM from Docker/Kubernetes reaches the service itself.
exec node --import "$TSX_LOADER" "$file"
