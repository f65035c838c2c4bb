#!/usr/bin/env bash
# Runs every test on a fresh Debian machine: installs what the tests need (Debian packages as root,
# npm dependencies without Electron's binary, which cannot be downloaded here), then `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(chromium dovecot-imapd dovecot-core gnome-keyring dbus)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" != 0 ]; then
    echo "Missing Debian packages: ${missing[*]}. Install them (as root: apt-get install -y ${missing[*]}) and run again." >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

export ELECTRON_SKIP_BINARY_DOWNLOAD=1
node scripts/ensure-deps.mjs
npm test
