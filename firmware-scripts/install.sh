#!/usr/bin/env bash
# install.sh: turns a fresh Debian 12/13 or Raspberry Pi OS (arm64, x86-64) machine into the spa
# receptionist appliance, as a systemd service. Run it as root from an unpacked release or a git
# checkout:   sudo bash firmware-scripts/install.sh [--firewall] [--no-models] [--no-start]
#
#  - runtime apt packages only (no SIP test peers, no browser): speech fallbacks, sox, the build
#    chain (better-sqlite3 compiles when no prebuilt binary can be fetched)
#  - Node.js: kept when it is >= 20; else Debian's nodejs when the release has >= 20 (Debian 13);
#    else Node.js 22 from NodeSource's apt repository (node_22.x, pinned: see below)
#  - a system user, spa-receptionist; the app in /opt/spa-receptionist/releases/<id> with
#    /opt/spa-receptionist/current pointing at the one in service; data in /var/lib/spa-receptionist;
#    settings in /etc/spa-receptionist/spa-receptionist.env
#  - npm ci and the build as that user, then the dev dependencies pruned (npm ci --omit=dev only
#    for a release tarball that ships its dist/); the default models when online
#  - the systemd unit, the modem's udev rule, optionally the nftables firewall (--firewall)
# Idempotent: a second run with the same source changes nothing (no apt, no copy, no build, no
# restart); a newer source installs beside the old one and the service switches to it.
set -euo pipefail
umask 022

APP_USER=spa-receptionist
APP_ROOT=${SPA_APP_ROOT:-/opt/spa-receptionist}
DATA_DIR=/var/lib/spa-receptionist
CONF_DIR=/etc/spa-receptionist
CACHE_DIR=/var/cache/spa-receptionist
NODE_MAJOR=22
SRC=$(cd "$(dirname "$0")/.." && pwd)

firewall=0 models=1 start=1
for arg in "$@"; do
  case "$arg" in
    --firewall) firewall=1 ;;
    --no-models) models=0 ;;
    --no-start) start=0 ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "install: unknown option $arg" >&2; exit 64 ;;
  esac
done

say() { echo "install: $*"; }
changed=()
note_change() { changed+=("$1"); say "$1"; }

[ "$(id -u)" -eq 0 ] || { echo "install: run as root (sudo bash $0)" >&2; exit 1; }

# --- the system -------------------------------------------------------------------------------
# shellcheck source=/dev/null
. /etc/os-release
case "${ID:-}:${VERSION_ID:-}" in
  debian:12 | debian:13 | raspbian:12 | raspbian:13) ;;
  *) say "warning: made for Debian 12/13 and Raspberry Pi OS; this is ${PRETTY_NAME:-unknown}: going on" ;;
esac
case "$(uname -m)" in
  x86_64 | aarch64) ;;
  *) say "warning: made for arm64 and x86-64; this is $(uname -m): going on" ;;
esac
systemd_running=0
[ -d /run/systemd/system ] && systemd_running=1

# --- apt packages -----------------------------------------------------------------------------
# Speech fallbacks (pocketsphinx, flite, espeak-ng; sphinxbase-utils builds the spa's language
# model), sox for audio, sqlite3 for support, tar/bzip2 for model archives, systemd for
# systemd-notify, python3 + build-essential for native modules without a prebuilt binary.
APT_PACKAGES=(
  ca-certificates tar bzip2 sqlite3 sox systemd udev
  pocketsphinx pocketsphinx-en-us sphinxbase-utils flite espeak-ng
  build-essential python3
)
[ "$firewall" -eq 1 ] && APT_PACKAGES+=(nftables)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
apt_updated=0
apt_install() {
  local missing=() p
  for p in "$@"; do installed "$p" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  export DEBIAN_FRONTEND=noninteractive
  if [ "$apt_updated" -eq 0 ]; then
    apt-get update -qq
    apt_updated=1
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  note_change "installed packages: ${missing[*]}"
}
apt_install "${APT_PACKAGES[@]}"

# --- Node.js ----------------------------------------------------------------------------------
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 20 ]; then
  candidate=$(apt-cache policy nodejs 2>/dev/null | awk '/Candidate:/ {print $2}')
  if [ -n "$candidate" ] && [ "${candidate%%.*}" != "(none)" ] && [ "${candidate%%.*}" -ge 20 ] 2>/dev/null; then
    apt_install nodejs npm
  else
    # NodeSource's repository for the 22.x line, signed by its key, pinned above Debian's nodejs
    # (the repo only carries 22.x, so upgrades stay on the LTS line: apt upgrade brings 22.x fixes).
    apt_install curl gnupg
    install -d -m 0755 /etc/apt/keyrings
    curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key | gpg --dearmor --yes -o /etc/apt/keyrings/nodesource.gpg
    echo "deb [signed-by=/etc/apt/keyrings/nodesource.gpg] https://deb.nodesource.com/node_${NODE_MAJOR}.x nodistro main" > /etc/apt/sources.list.d/nodesource.list
    printf 'Package: nodejs\nPin: origin deb.nodesource.com\nPin-Priority: 600\n' > /etc/apt/preferences.d/nodesource
    apt_updated=0
    apt_install nodejs
  fi
fi
NODE_BIN=$(command -v node)
NPM_BIN=$(command -v npm)
say "node $(node -v) at $NODE_BIN"

# --- user and folders -------------------------------------------------------------------------
if ! getent passwd "$APP_USER" >/dev/null; then
  useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home --shell /usr/sbin/nologin "$APP_USER"
  note_change "created the system user $APP_USER"
fi
if getent group dialout >/dev/null && ! id -nG "$APP_USER" | tr ' ' '\n' | grep -qx dialout; then
  usermod -a -G dialout "$APP_USER"
  note_change "added $APP_USER to dialout (the modem)"
fi
ensure_dir() { # path owner group mode
  if [ ! -d "$1" ] || [ "$(stat -c '%U:%G %a' "$1")" != "$2:$3 $4" ]; then
    install -d -o "$2" -g "$3" -m "$4" "$1"
    note_change "folder $1 ($2:$3 $4)"
  fi
}
ensure_dir "$APP_ROOT" root root 755
ensure_dir "$APP_ROOT/releases" root root 755
ensure_dir "$DATA_DIR" "$APP_USER" "$APP_USER" 700
ensure_dir "$DATA_DIR/models" "$APP_USER" "$APP_USER" 700
ensure_dir "$CONF_DIR" root "$APP_USER" 750
if [ ! -d "$CACHE_DIR" ] || [ "$(stat -c '%U %a' "$CACHE_DIR")" != "$APP_USER 700" ]; then
  # npm's cache: the app user's, whatever was put in it.
  install -d -m 0700 "$CACHE_DIR"
  chown -R "$APP_USER:$APP_USER" "$CACHE_DIR"
  note_change "folder $CACHE_DIR (npm's cache)"
fi

ENV_FILE="$CONF_DIR/spa-receptionist.env"
if [ ! -f "$ENV_FILE" ]; then
  install -o root -g "$APP_USER" -m 0640 /dev/null "$ENV_FILE"
  cat > "$ENV_FILE" <<'ENV'
# Settings of the spa receptionist (read by the service; restart it after a change:
# sudo systemctl restart spa-receptionist). Every variable is in the README's table.
# SPA_TIMEZONE=America/New_York
# SPA_MODEM=/dev/spa-modem
# SPA_SIP_PORT=5060
# SPA_HTTP_PORT=8080
# SPA_HTTPS_PORT=8443
# SPA_ADMIN_PASSWORD=   (else a one-time password is printed at first start: journalctl -u spa-receptionist)
ENV
  note_change "wrote $ENV_FILE"
fi

# --- the app ----------------------------------------------------------------------------------
# A release tarball carries a RELEASE file and its built dist/; a checkout is built here.
prebuilt=0
[ -f "$SRC/RELEASE" ] && [ -d "$SRC/dist" ] && prebuilt=1
file_list() {
  cd "$SRC"
  find . \( -path ./node_modules -o -path ./.git -o -path ./data -o -path ./models -o -path ./test-results -o -name '*.tsbuildinfo' \) -prune -o -type f -print |
    { if [ "$prebuilt" -eq 1 ]; then cat; else grep -v -e '^\./dist/' -e '^\./web-ui/dist/'; fi; } | LC_ALL=C sort
  if [ -f models/manifest.json ]; then echo ./models/manifest.json; fi
}
version=$(cd "$SRC" && node -p 'require("./package.json").version')
digest=$(cd "$SRC" && file_list | tr '\n' '\0' | xargs -0 sha256sum | sha256sum | cut -c1-12)
release="$version-$digest"
REL="$APP_ROOT/releases/$release"
as_app() { runuser -u "$APP_USER" -- env HOME="$DATA_DIR" npm_config_cache="$CACHE_DIR/npm" npm_config_update_notifier=false "$@"; }

if [ -f "$REL/.installed" ]; then
  say "release $release already installed"
else
  rm -rf "$REL"
  install -d -o "$APP_USER" -g "$APP_USER" -m 0755 "$REL"
  (cd "$SRC" && file_list | tar -cf - --no-recursion -T -) | (cd "$REL" && runuser -u "$APP_USER" -- tar -xf - --no-same-owner)
  # Native modules compile against the installed Node's headers when they are there (offline-safe).
  nodedir=()
  [ -f /usr/include/node/node.h ] && nodedir=(npm_config_nodedir=/usr)
  say "npm ci in $REL (as $APP_USER)"
  if [ "$prebuilt" -eq 1 ]; then
    (cd "$REL" && as_app "${nodedir[@]}" "$NPM_BIN" ci --omit=dev --prefer-offline --no-audit --no-fund --loglevel=error)
  else
    (cd "$REL" && as_app "${nodedir[@]}" "$NPM_BIN" ci --prefer-offline --no-audit --no-fund --loglevel=error)
    say "building"
    (cd "$REL" && as_app "$NPM_BIN" run --silent build)
    (cd "$REL" && as_app "$NPM_BIN" prune --omit=dev --no-audit --no-fund --loglevel=error)
    rm -rf "$REL/dist/test"
  fi
  # The service runs it read-only; root owns the code.
  chown -R root:root "$REL"
  echo "$release" > "$REL/.installed"
  note_change "installed release $release"
fi
previous=$(readlink "$APP_ROOT/current" 2>/dev/null || true)
if [ "$previous" != "$REL" ]; then
  ln -sfn "$REL" "$APP_ROOT/current.new" && mv -T "$APP_ROOT/current.new" "$APP_ROOT/current"
  note_change "current -> $REL (was ${previous:-none})"
fi

if [ "$models" -eq 1 ]; then
  (cd "$APP_ROOT/current" && as_app SPA_MODELS_DIR="$DATA_DIR/models" "$NODE_BIN" dist/appliance/models/cli.js install --default >/dev/null 2>&1) ||
    say "models not installed (offline?); the appliance uses its fallback engines. Later: sudo -u $APP_USER SPA_MODELS_DIR=$DATA_DIR/models npm --prefix $APP_ROOT/current run models -- install --default"
fi

# --- systemd unit, udev rule, firewall ----------------------------------------------------------
put_file() { # source destination mode: copies when the content differs; returns 0 when it changed
  if [ -f "$2" ] && cmp -s "$1" "$2"; then return 1; fi
  install -D -m "$3" "$1" "$2"
  note_change "wrote $2"
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed -e "s#^ExecStart=/usr/bin/node #ExecStart=$NODE_BIN #" "$SRC/firmware-scripts/spa-receptionist.service" > "$tmp/unit"
unit_changed=0
put_file "$tmp/unit" /etc/systemd/system/spa-receptionist.service 0644 && unit_changed=1
# A restart back-off (5 s doubling to 5 min) where systemd has it (>= 254: Debian 13).
systemd_version=$(systemctl --version 2>/dev/null | awk 'NR==1 {print $2}') || systemd_version=0
if [ "${systemd_version:-0}" -ge 254 ] 2>/dev/null; then
  printf '[Service]\nRestartSteps=6\nRestartMaxDelaySec=5min\n' > "$tmp/backoff"
  put_file "$tmp/backoff" /etc/systemd/system/spa-receptionist.service.d/10-backoff.conf 0644 && unit_changed=1
fi
udev_changed=0
put_file "$SRC/firmware-scripts/99-spa-receptionist-modem.rules" /etc/udev/rules.d/99-spa-receptionist-modem.rules 0644 && udev_changed=1
if [ "$firewall" -eq 1 ]; then
  put_file "$SRC/firmware-scripts/nftables-spa-receptionist.nft" /etc/nftables.d/spa-receptionist.nft 0644 || true
  if ! grep -qs 'include "/etc/nftables.d/\*.nft"' /etc/nftables.conf; then
    echo 'include "/etc/nftables.d/*.nft"' >> /etc/nftables.conf
    note_change "nftables.conf includes /etc/nftables.d/*.nft"
  fi
fi

if [ "$systemd_running" -eq 1 ]; then
  [ "$unit_changed" -eq 1 ] && systemctl daemon-reload
  [ "$udev_changed" -eq 1 ] && udevadm control --reload && udevadm trigger --subsystem-match=tty
  if [ "$firewall" -eq 1 ]; then
    systemctl enable --quiet nftables
    systemctl restart nftables
  fi
  if ! systemctl is-enabled --quiet spa-receptionist; then
    systemctl enable --quiet spa-receptionist
    note_change "enabled spa-receptionist.service"
  fi
  if [ "$start" -eq 1 ]; then
    if ! systemctl is-active --quiet spa-receptionist; then
      systemctl start spa-receptionist
      note_change "started spa-receptionist"
    elif [ ${#changed[@]} -gt 0 ]; then
      systemctl restart spa-receptionist
      say "restarted spa-receptionist"
    fi
  fi
else
  say "systemd is not running here (a chroot or container): the service is installed but not started"
fi

if [ ${#changed[@]} -eq 0 ]; then
  say "nothing to change: already installed ($release)"
else
  say "done: ${#changed[@]} change(s); release $release"
fi
say "web UI: https://$(hostname -I 2>/dev/null | awk '{print $1}'):8443 (owner password: journalctl -u spa-receptionist | grep -i password)"
