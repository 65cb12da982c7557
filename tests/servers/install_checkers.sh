#!/usr/bin/env bash
# Install the HTML checkers of tests/test_machine_checks.py:
#   * the Nu Html Checker (npm vnu-jar: vnu.jar, run with the machine's Java);
#   * axe-core (npm axe-core: axe.min.js, injected into pages with Playwright).
#
#   bash tests/servers/install_checkers.sh          # idempotent: a no-op once installed
#   bash tests/servers/install_checkers.sh --force  # reinstall from scratch
#
# Both come from the npm registry through the ordinary npm client, pinned by
# tests/servers/checkers/package-lock.json (`npm ci --ignore-scripts`: vnu-jar's
# postinstall would download a JRE from GitHub when no Java is found; we never
# run it). Java comes from Debian (apt-get install default-jre-headless) only
# when `java` is missing. The result lives in tests/servers/.cache/checkers
# (git-ignored):
#   .cache/checkers/node_modules/vnu-jar/build/dist/vnu.jar
#   .cache/checkers/node_modules/axe-core/axe.min.js
#   .cache/checkers/.stamp      hash of the inputs; equal => nothing to do
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${HEARTH_CHECKERS_CACHE:-$HERE/.cache/checkers}"
SRC="$HERE/checkers"

if [ "${1:-}" = "--force" ]; then
  rm -rf "$CACHE"
fi

if ! command -v java >/dev/null; then
  echo "install_checkers.sh: installing Java (Debian default-jre-headless) for the Nu Html Checker"
  apt-get update -qq && apt-get install -y -qq default-jre-headless
fi

WANT="$(cat "$SRC/package.json" "$SRC/package-lock.json" | sha256sum | cut -d' ' -f1)"
if [ -f "$CACHE/.stamp" ] && [ "$(cat "$CACHE/.stamp")" = "$WANT" ] \
   && [ -f "$CACHE/node_modules/vnu-jar/build/dist/vnu.jar" ] \
   && [ -f "$CACHE/node_modules/axe-core/axe.min.js" ]; then
  echo "install_checkers.sh: already installed in $CACHE"
  exit 0
fi

command -v npm >/dev/null || { echo "install_checkers.sh: npm is needed (Debian: apt-get install npm)" >&2; exit 1; }

rm -f "$CACHE/.stamp"
mkdir -p "$CACHE"
cp "$SRC/package.json" "$SRC/package-lock.json" "$CACHE/"
(cd "$CACHE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
java -jar "$CACHE/node_modules/vnu-jar/build/dist/vnu.jar" --version
echo "$WANT" > "$CACHE/.stamp"
echo "install_checkers.sh: installed in $CACHE"
