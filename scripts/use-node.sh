# Source me: puts a Node >= 22 and pnpm on PATH, installing them from the npm registry when missing.
# The machine's Node may be older (20.x is past end of life); @google-cloud/compute 7 needs Node >= 22.
overcast_node_ok() { node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)' 2>/dev/null; }
if ! overcast_node_ok; then
  OVERCAST_NODE_DIR="${OVERCAST_NODE_DIR:-$HOME/.cache/overcast/node24}"
  if [ ! -x "$OVERCAST_NODE_DIR/node_modules/.bin/node" ]; then
    echo "overcast: installing Node 24 into $OVERCAST_NODE_DIR" >&2
    npm install --no-save --no-audit --no-fund --prefix "$OVERCAST_NODE_DIR" node@24 >&2
  fi
  export PATH="$OVERCAST_NODE_DIR/node_modules/.bin:$PATH"
fi
OVERCAST_PNPM_VERSION="12.21.0"
if [ "$(pnpm --version 2>/dev/null)" != "$OVERCAST_PNPM_VERSION" ]; then
  OVERCAST_PNPM_DIR="${OVERCAST_PNPM_DIR:-$HOME/.cache/overcast/pnpm}"
  if [ ! -x "$OVERCAST_PNPM_DIR/node_modules/.bin/pnpm" ]; then
    echo "overcast: installing pnpm $OVERCAST_PNPM_VERSION into $OVERCAST_PNPM_DIR" >&2
    npm install --no-save --no-audit --no-fund --prefix "$OVERCAST_PNPM_DIR" "pnpm@$OVERCAST_PNPM_VERSION" >&2
  fi
  export PATH="$OVERCAST_PNPM_DIR/node_modules/.bin:$PATH"
fi
