#!/usr/bin/env bash
# npm run setup: everything a fresh Debian 12 / Raspberry Pi OS machine needs, idempotent.
#  1. system packages through apt (when root): speech fallbacks, SIP test peers, tools
#  2. npm ci (better-sqlite3 builds from source when no prebuilt binary can be fetched)
#  3. the TypeScript build
#  4. the model install (offline: one line, and setup goes on)
set -euo pipefail
cd "$(dirname "$0")/.."

# Speech fallbacks (pocketsphinx, flite, espeak-ng), sphinxbase-utils for sphinx_lm_convert (the
# spa's caller language model is written as pocketsphinx's binary trie: a decoder then loads it in
# ~110 ms instead of ~520 ms as ARPA text, on every utterance), audio tools (sox), SIP peers for the tests
# (sipp = sip-tester, baresip, kamailio), socat for the fake modem's pty, Debian's python3-onnx to
# generate tiny random-weight models for the engine tests, chromium for the web UI's browser tests
# (driven headless by playwright-core: no browser download), the native build chain, and what the
# appliance's install scripts are checked with: shellcheck, systemd-analyze (systemd), nft -c
# (nftables; the firewall is not enabled) and debootstrap for `npm run test:install`.
APT_PACKAGES=(
  build-essential python3 sqlite3
  pocketsphinx pocketsphinx-en-us sphinxbase-utils flite espeak-ng sox
  sip-tester baresip kamailio socat
  python3-onnx python3-numpy
  chromium
  shellcheck systemd nftables debootstrap
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "setup: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || echo "setup: apt-get update failed; trying the install with the lists we have"
    # kamailio's package starts a service by default; the appliance never needs it running.
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    systemctl disable --now kamailio >/dev/null 2>&1 || true
  else
    echo "setup: not root, so these system packages are not installed: ${missing[*]}"
    echo "setup: install them with: sudo apt-get install ${missing[*]}  (tests that need them will fail until then)"
  fi
else
  echo "setup: system packages present"
fi

echo "setup: npm ci"
npm ci --no-audit --no-fund --loglevel=error

echo "setup: building"
npm run --silent build

if [ -f dist/appliance/models/cli.js ]; then
  node dist/appliance/models/cli.js install --default || echo "setup: models not installed (offline?); the appliance uses its fallback engines"
else
  echo "setup: no model manager in this version; the appliance runs without models"
fi
echo "setup: done"
