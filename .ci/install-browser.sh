#!/usr/bin/env bash
# Debian's chromium for the end-to-end browser test (tests/e2e, marker "browser"; Playwright's
# own browser download is not available here: the test uses executable_path=/usr/bin/chromium).
# Idempotent: does nothing when /usr/bin/chromium exists.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
SUDO=()
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "install-browser: not root and no sudo; skipping chromium install" \
         "(the browser test skips, or fails when CI is set)" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
