#!/usr/bin/env bash
# update.sh: updates an installed spa receptionist to a new version, and rolls back when it fails.
#   sudo bash update.sh --tarball spa-receptionist-0.2.0.tar.gz
#   sudo bash update.sh --git v0.2.0 [--repo https://example.org/spa-receptionist.git]
# Steps: an online backup of the database; the new version installed beside the running one
# (install.sh --no-start: npm ci, build); its migrations tried on a copy of that backup first; the
# service stopped, the database copied aside, the service started on the new version; /api/health
# must answer with the database ok and SIP listening within 120 s. On any failure after the stop:
# back to the previous version and the database copied aside, and the service started again.
set -euo pipefail
umask 022

APP_USER=spa-receptionist
APP_ROOT=${SPA_APP_ROOT:-/opt/spa-receptionist}
DATA_DIR=/var/lib/spa-receptionist
ENV_FILE=/etc/spa-receptionist/spa-receptionist.env
HEALTH_TIMEOUT_S=${SPA_UPDATE_HEALTH_TIMEOUT_S:-120}
SERVICE=spa-receptionist

tarball='' tag='' repo=''
while [ $# -gt 0 ]; do
  case "$1" in
    --tarball) tarball=${2:?}; shift 2 ;;
    --git) tag=${2:?}; shift 2 ;;
    --repo) repo=${2:?}; shift 2 ;;
    -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "update: unknown option $1" >&2; exit 64 ;;
  esac
done
say() { echo "update: $*"; }
die() { echo "update: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (sudo bash $0 ...)"
[ -n "$tarball" ] || [ -n "$tag" ] || die "give --tarball FILE or --git TAG"
previous=$(readlink "$APP_ROOT/current") || die "no installed version in $APP_ROOT/current: run install.sh first"

work=$(mktemp -d /var/tmp/spa-update.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 0755 "$work"
src="$work/src"
mkdir "$src"
if [ -n "$tarball" ]; then
  tar -xzf "$tarball" -C "$src" --strip-components=1 --no-same-owner
else
  [ -n "$repo" ] || repo=$(git -C "$previous" config --get remote.origin.url 2>/dev/null || true)
  [ -n "$repo" ] || die "--git needs --repo URL (the release has no git remote)"
  git clone --quiet --depth 1 --branch "$tag" "$repo" "$src"
fi
[ -f "$src/firmware-scripts/install.sh" ] || die "$src is not a spa-receptionist source (no firmware-scripts/install.sh)"

as_app() { runuser -u "$APP_USER" -- env HOME="$DATA_DIR" SPA_DATA_DIR="$DATA_DIR" "$@"; }
port=$(sed -n 's/^SPA_HTTP_PORT=\([0-9]*\).*/\1/p' "$ENV_FILE" 2>/dev/null | tail -1)
port=${port:-8080}
healthy() { # waits for /api/health: database ok and SIP listening
  local deadline=$((SECONDS + HEALTH_TIMEOUT_S))
  while [ $SECONDS -lt $deadline ]; do
    if node -e '
      fetch(process.argv[1]).then((r) => r.json()).then((h) => process.exit(h.db === "ok" && h.sip && h.sip.listening ? 0 : 1), () => process.exit(1));
    ' "http://127.0.0.1:$port/api/health"; then
      return 0
    fi
    sleep 2
  done
  return 1
}

# 1. An online backup with the running version (calls go on).
backup=$(cd "$previous" && as_app node dist/appliance/ops/cli.js backup | sed -n 's/^backup: \(.*\) (.*/\1/p')
[ -f "$backup" ] || die "the backup before the update failed"
say "backup: $backup"

# The system files install.sh may change (unit, its drop-ins, the udev rule), kept to roll back too.
SYSTEM_FILES=(etc/systemd/system/spa-receptionist.service etc/systemd/system/spa-receptionist.service.d etc/udev/rules.d/99-spa-receptionist-modem.rules)
kept=()
for f in "${SYSTEM_FILES[@]}"; do [ -e "/$f" ] && kept+=("$f"); done
tar -C / -cf "$work/system-files.tar" "${kept[@]}"
rollback_code() {
  ln -sfn "$previous" "$APP_ROOT/current.new" && mv -T "$APP_ROOT/current.new" "$APP_ROOT/current"
  rm -rf /etc/systemd/system/spa-receptionist.service.d
  tar -C / -xf "$work/system-files.tar"
  systemctl daemon-reload || true
}

# 2. The new version beside the running one (the service keeps running the old files).
if ! bash "$src/firmware-scripts/install.sh" --no-start --no-models; then
  rollback_code
  die "installing the new version failed; nothing changed, still on $previous"
fi
next=$(readlink "$APP_ROOT/current")
if [ "$next" = "$previous" ]; then
  say "already at this version ($next)"
  exit 0
fi

# 3. Its migrations on a copy of the backup first.
# In a folder of the app user's: SQLite makes the -wal and -shm files beside the copy.
install -d -o "$APP_USER" -g "$APP_USER" -m 0700 "$work/check"
copy="$work/check/migration-check.db"
install -o "$APP_USER" -g "$APP_USER" -m 0600 "$backup" "$copy"
if ! (cd "$next" && as_app node dist/appliance/ops/cli.js check "$copy"); then
  rollback_code
  die "the new version's migrations failed on a copy of the database; nothing changed, still on $previous"
fi

# 4. Stop, keep the database aside, start the new version, check its health.
systemctl stop "$SERVICE"
aside="$DATA_DIR/backups/pre-update-$(date -u +%Y%m%dT%H%M%SZ).db"
# Through SQLite, not cp: after an unclean stop, committed rows may still be in spa.db-wal only.
if ! as_app sqlite3 "$DATA_DIR/spa.db" ".backup '$aside'"; then
  rollback_code
  systemctl start "$SERVICE" || true
  die "could not copy the database aside; nothing changed, still on $previous"
fi
systemctl daemon-reload
systemctl start "$SERVICE" || true
if healthy; then
  say "updated: $previous -> $next"
  # Keep the running release and the one before it.
  for r in "$APP_ROOT"/releases/*; do
    [ "$r" = "$next" ] || [ "$r" = "$previous" ] || rm -rf "$r"
  done
  exit 0
fi

# 5. Roll back: the previous version and the database as it was before the new version touched it.
say "the new version did not come up healthy: rolling back to $previous"
systemctl stop "$SERVICE" || true
rollback_code
install -o "$APP_USER" -g "$APP_USER" -m 0600 "$aside" "$DATA_DIR/spa.db"
rm -f "$DATA_DIR/spa.db-wal" "$DATA_DIR/spa.db-shm"
systemctl daemon-reload
systemctl start "$SERVICE"
if healthy; then
  die "rolled back to $previous (database from $aside); the update failed: see journalctl -u $SERVICE"
fi
die "rolled back to $previous but it is not healthy either: see journalctl -u $SERVICE"
