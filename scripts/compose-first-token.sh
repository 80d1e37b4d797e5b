#!/usr/bin/env bash
# The first token of a compose stack: an admin token made by the gateway's own admin command inside the
# running gateway container (it has the database URL), printed once. Make the rest over the API with it.
#   scripts/compose-first-token.sh [compose options, e.g. -p overcast] > token
# Only the token goes to stdout; the admin command's own lines go to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
description="${OVERCAST_FIRST_TOKEN_DESCRIPTION:-first admin token (compose)}"
# Debian's docker-compose (1.29) or the compose plugin of a newer docker.
if command -v docker-compose >/dev/null; then compose=(docker-compose); else compose=(docker compose); fi
output="$("${compose[@]}" -f docker/compose.yaml "$@" exec -T gateway-api \
  overcast-entrypoint admin create-token "$description" --role admin)"
token="$(sed -n 's/^generated token: //p' <<<"$output")"
if [ -z "$token" ]; then
  echo "compose-first-token: the admin command printed no token:" >&2
  echo "$output" >&2
  exit 1
fi
echo "$token"
