#!/usr/bin/env bash
# What the browser tests need (tests/e2e, marker "browser"):
# - Debian's chromium (Playwright's own browser download is not available here: the tests use
#   executable_path=/usr/bin/chromium);
# - axe-core from its npm package, in node_modules/ (gitignored), injected into each page for the
#   accessibility check. The tests run this script themselves when axe.min.js is missing.
# Idempotent: each step does nothing when its result is already there.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
AXE_VERSION="4.10.3"

if [ ! -x /usr/bin/chromium ]; then
  SUDO=()
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      SUDO=(sudo -n)
    else
      echo "install-browser: not root and no sudo; skipping chromium install" \
           "(the browser tests skip, or fail when CI is set)" >&2
      SUDO=(false)
    fi
  fi
  if [ "${SUDO[*]-}" != "false" ]; then
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" apt-get install -y -qq chromium >/dev/null
    /usr/bin/chromium --version
  fi
fi

# axe-core: a failure here is reported, not fatal (the rest of the suite still runs; the
# accessibility tests then fail with this reason)
if [ ! -f "$ROOT/node_modules/axe-core/axe.min.js" ]; then
  if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq npm >/dev/null; } || true
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "install-browser: npm is missing; cannot install axe-core" >&2
  elif ! npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix "$ROOT" \
         "axe-core@$AXE_VERSION" >/dev/null; then
    echo "install-browser: npm could not install axe-core@$AXE_VERSION" >&2
  fi
fi
exit 0
