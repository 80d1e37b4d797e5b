#!/bin/sh
# Runs one entry point of the service this image was built for, passing it the remaining arguments:
# `main` (default), `migrate`, or a command directory such as the gateway's `admin` (src/admin/main.ts):
#   docker compose exec gateway-api overcast-entrypoint admin create-token "first admin token" --role admin
set -eu
entry="${1:-main}"
[ "$#" -gt 0 ] && shift
case "$entry" in
  *[!a-z-]*|'') echo "overcast-entrypoint: entry point must be lowercase letters and dashes, got '$entry'" >&2; exit 64 ;;
esac
: "${SERVICE:?SERVICE is not set: build the image with --build-arg SERVICE=<name>}"
source_dir="${APP_ROOT:-/app}/services/${SERVICE}/src"
file="${source_dir}/${entry}.ts"
[ -f "$file" ] || file="${source_dir}/${entry}/main.ts"
if [ ! -f "$file" ]; then
  echo "overcast-entrypoint: ${SERVICE} has no '${entry}' entry point (${source_dir}/${entry}.ts)" >&2
  exit 64
fi
# exec: node replaces this shell as PID 1, so SIGTERM from Docker/Kubernetes reaches the service itself.
exec node --import "$TSX_LOADER" "$file" "$@"
