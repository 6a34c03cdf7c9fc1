#!/usr/bin/env bash
# npm run test:install: firmware-scripts/install.sh for real, in a Debian 12 root made by
# debootstrap from Debian's mirror (cached as /var/tmp/spa-install-test/base after the first run).
#  1. install.sh runs in the chroot (Node: this machine's Node 20 is copied in, so install.sh
#     keeps it; it cannot reach NodeSource here), then runs again: the second run must say
#     "nothing to change" and leave every installed file as it was
#  2. the unit's ExecStart runs in the chroot as the unit's User with the unit's Environment,
#     and /api/health must answer with the database ok and SIP listening
#  3. update.sh (systemctl played by test/install/fake-systemctl.sh, no systemd in a chroot): a
#     newer release tarball installs and comes up healthy; a broken one is rolled back to the
#     previous release, which answers again (SPA_TEST_UPDATE=0 skips this stage)
# Needs root and debootstrap. Everything lives under /var/tmp/spa-install-test; the chroot's
# mounts are undone on exit; the host's /opt and /etc are never touched.
set -euo pipefail
cd "$(dirname "$0")/../.."
SRC=$(pwd)
WORK=/var/tmp/spa-install-test
BASE=$WORK/base
ROOT=$WORK/root
PORT_HTTP=${SPA_TEST_HTTP_PORT:-18080}
fail() { echo "test:install: FAIL: $*" >&2; exit 1; }
say() { echo "test:install: $*"; }

[ "$(id -u)" -eq 0 ] || fail "needs root (chroot, debootstrap)"
command -v debootstrap >/dev/null || fail "needs debootstrap (apt-get install debootstrap; npm run setup installs it)"
mkdir -p "$WORK"

if [ ! -x "$BASE/bin/bash" ]; then
  say "debootstrap bookworm into $BASE (once; a few minutes)"
  rm -rf "$BASE"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$BASE" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 ||
    fail "debootstrap failed: see $WORK/debootstrap.log"
fi

mounts=()
daemon_pid=''
cleanup() {
  if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true; fi
  if [ -x "$ROOT/usr/local/sbin/systemctl" ]; then in_root systemctl stop spa-receptionist || true; fi
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
mount_in() { # type-or-bind source target
  mkdir -p "$3"
  if [ "$1" = bind ]; then mount --bind "$2" "$3"; else mount -t "$1" "$2" "$3"; fi
  mounts+=("$3")
}

resume=${SPA_TEST_RESUME:-0}
if [ "$resume" = 1 ]; then
  # Development only: go on in the root a previous run installed into (skips the first install).
  [ -L "$ROOT/opt/spa-receptionist/current" ] || fail "SPA_TEST_RESUME=1 but nothing is installed in $ROOT"
  say "resuming in the installed root $ROOT"
  rm -f "$ROOT/usr/local/sbin/systemctl" "$ROOT/run/spa-receptionist.test-pid" # a previous run's update stage
else
  say "fresh root from the cached base"
  rm -rf "$ROOT"
  cp -a "$BASE" "$ROOT"
fi
mount_in proc proc "$ROOT/proc"
mount_in sysfs sys "$ROOT/sys"
mount_in bind /dev "$ROOT/dev"
mount_in bind /dev/pts "$ROOT/dev/pts"
# Debian packages are downloaded once and kept for the next run.
mkdir -p "$WORK/apt-archives/partial"
mount_in bind "$WORK/apt-archives" "$ROOT/var/cache/apt/archives"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
if [ "$resume" != 1 ]; then
# This machine reaches the internet through its own CA bundle; the chroot trusts the same.
cp /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/ca-certificates.crt"
printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' > "$ROOT/etc/npmrc"
# npm reads its global settings from <prefix>/etc/npmrc: /usr/local here (node is put in /usr/local/bin below).
mkdir -p "$ROOT/usr/local/etc"
printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' > "$ROOT/usr/local/etc/npmrc"

# Node.js 20 from this machine (Debian 12's own nodejs is 18: install.sh would add NodeSource's
# repository, which this machine cannot reach), with npm and the headers native modules build with.
install -D -m 0755 "$(readlink -f "$(command -v node)")" "$ROOT/usr/local/bin/node"
mkdir -p "$ROOT/usr/local/lib/node_modules" "$ROOT/usr/include"
cp -a "$(dirname "$(readlink -f "$(command -v npm)")")/.." "$ROOT/usr/local/lib/node_modules/npm"
ln -sfn ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/local/bin/npm"
[ -d /usr/include/node ] && cp -a /usr/include/node "$ROOT/usr/include/node"
# npm's cache: the one the last run left in $WORK, else this machine's, so npm ci does not fetch
# ~600 MB each time.
seed=$WORK/npm-cache/_cacache
[ -d "$seed" ] || seed=$HOME/.npm/_cacache
if [ -d "$seed" ]; then
  mkdir -p "$ROOT/var/cache/spa-receptionist/npm"
  cp -a "$seed" "$ROOT/var/cache/spa-receptionist/npm/_cacache"
fi

say "copying the source (without node_modules, dist, data, downloaded models)"
mkdir -p "$ROOT/usr/src/spa-receptionist"
tar -C "$SRC" --exclude=./node_modules --exclude=./dist --exclude=./.git --exclude=./data --exclude=./web-ui/dist \
  --exclude='./models/*/' --exclude='./models/silero-vad-v5' -cf - . | tar -C "$ROOT/usr/src/spa-receptionist" -xf -

fi

in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
snapshot() { # every installed file: path, size, mode, owner, mtime
  in_root find /opt/spa-receptionist /etc/spa-receptionist /etc/systemd/system /etc/udev/rules.d /var/lib/spa-receptionist \
    -printf '%p %s %m %u:%g %T@\n' | LC_ALL=C sort
}

t0=$SECONDS
if [ "$resume" != 1 ]; then
say "install.sh, first run"
in_root bash /usr/src/spa-receptionist/firmware-scripts/install.sh --no-models 2>&1 | tee "$WORK/install-1.log"
say "first run took $((SECONDS - t0)) s"
grep -q 'installed release' "$WORK/install-1.log" || fail "the first run did not install a release"
rm -rf "$WORK/npm-cache" && mkdir -p "$WORK/npm-cache" && cp -a "$ROOT/var/cache/spa-receptionist/npm/_cacache" "$WORK/npm-cache/"
fi
in_root getent passwd spa-receptionist >/dev/null || fail "no system user"
in_root test -f /opt/spa-receptionist/current/dist/appliance/main.js || fail "no built app"
in_root test -d /opt/spa-receptionist/current/node_modules/better-sqlite3/build/Release || fail "no better-sqlite3 binary"
in_root test -d /opt/spa-receptionist/current/node_modules/eslint && fail "dev dependencies (eslint) were left in the install"
in_root test -d /opt/spa-receptionist/current/node_modules/vite && fail "dev dependencies (vite) were left in the install"
[ "$(in_root stat -c '%U %a' /var/lib/spa-receptionist)" = "spa-receptionist 700" ] || fail "data dir not private to the service user"
[ -f "$ROOT/etc/systemd/system/spa-receptionist.service" ] || fail "no unit installed"
[ -f "$ROOT/etc/udev/rules.d/99-spa-receptionist-modem.rules" ] || fail "no udev rule installed"
before=$(snapshot)

t1=$SECONDS
say "install.sh, second run"
in_root bash /usr/src/spa-receptionist/firmware-scripts/install.sh --no-models 2>&1 | tee "$WORK/install-2.log"
say "second run took $((SECONDS - t1)) s"
grep -q 'nothing to change' "$WORK/install-2.log" || fail "the second run changed something"
after=$(snapshot)
[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after") | head -20; fail "the second run modified installed files"; }

say "the unit's start command as the unit's user"
unit="$ROOT/etc/systemd/system/spa-receptionist.service"
user=$(sed -n 's/^User=//p' "$unit")
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
workdir=$(sed -n 's/^WorkingDirectory=//p' "$unit")
read -r -a unit_env <<<"$(sed -n 's/^Environment=//p' "$unit")"
read -r -a cmd <<<"$exec_start"
[ "$user" = spa-receptionist ] || fail "unit User is $user"
log="$WORK/daemon.log"
# shellcheck disable=SC2016 # $1 and $@ are the inner shell's
chroot --userspec="$user:$user" "$ROOT" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin "${unit_env[@]}" \
  SPA_BIND=127.0.0.1 SPA_HTTP_PORT="$PORT_HTTP" SPA_HTTPS_PORT=$((PORT_HTTP + 1)) SPA_SIP_PORT=$((PORT_HTTP + 2)) \
  SPA_RTP_PORTS=$((PORT_HTTP + 100))-$((PORT_HTTP + 199)) SPA_ADMIN_PASSWORD=install-test-pw SPA_MODEM=sim \
  /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$workdir" "${cmd[@]}" >"$log" 2>&1 &
daemon_pid=$!
health=''
# The web UI answers first; the daemon is up when the database is ok and SIP listens (the first
# start builds the spa's caller language model first: minutes on a loaded machine).
for _ in $(seq 1 600); do
  health=$(node -e '
    fetch(process.argv[1]).then((r) => r.json()).then((h) => {
      if (h.db !== "ok" || !h.sip.listening || !h.ops) process.exit(1);
      console.log(JSON.stringify(h));
    }, () => process.exit(1));
  ' "http://127.0.0.1:$PORT_HTTP/api/health" 2>/dev/null) && break
  health=''
  kill -0 "$daemon_pid" 2>/dev/null || { tail -20 "$log"; fail "the daemon exited"; }
  sleep 1
done
[ -n "$health" ] || { tail -20 "$log"; fail "no healthy answer from /api/health (database ok, SIP listening) in 600 s"; }
say "health: $health"
owner=$(ps -o uid= -p "$daemon_pid" | tr -d ' ')
[ "$owner" = "$(in_root id -u spa-receptionist)" ] || fail "the daemon runs as uid $owner"
say "the daemon runs as spa-receptionist and answers /api/health"
kill "$daemon_pid"
wait "$daemon_pid" 2>/dev/null || true
daemon_pid=''
[ -f "$ROOT/var/lib/spa-receptionist/spa.db" ] || fail "no database in the data dir"
t_install=$((t1 - t0))
t_reinstall=$((SECONDS - t1))

health_ok() {
  local h
  for _ in $(seq 1 90); do
    h=$(node -e 'fetch(process.argv[1]).then((r) => r.json()).then((h) => console.log(h.db === "ok" && h.sip.listening ? "ok" : "bad"), () => process.exit(1))' "http://127.0.0.1:$PORT_HTTP/api/health" 2>/dev/null) &&
      [ "$h" = ok ] && return 0
    sleep 1
  done
  return 1
}
make_release() { # version broken(0/1): a release tarball (RELEASE file, built dist/) of the installed app with another version
  local dir="$WORK/rel/spa-receptionist-$1"
  rm -rf "$dir" && mkdir -p "$dir"
  tar -C "$ROOT$(readlink "$ROOT/opt/spa-receptionist/current")" --exclude=./node_modules --exclude=./.installed -cf - . | tar -C "$dir" -xf -
  echo "$1" >"$dir/RELEASE"
  sed -i "s/\"version\": \"[^\"]*\"/\"version\": \"$1\"/" "$dir/package.json"
  if [ "$2" -eq 1 ]; then
    sed -i '1i if (process.env.SPA_DATA_DIR) process.exit(3);' "$dir/dist/appliance/main.js"
    # A new unit too: the rollback must put the previous one back.
    sed -i "1i # release $1" "$dir/firmware-scripts/spa-receptionist.service"
  fi
  tar -C "$WORK/rel" -czf "$ROOT/var/tmp/spa-receptionist-$1.tar.gz" "spa-receptionist-$1"
}
if [ "${SPA_TEST_UPDATE:-1}" = 1 ]; then
  say "update.sh: the service under a stand-in systemctl"
  install -m 0755 test/install/fake-systemctl.sh "$ROOT/usr/local/sbin/systemctl"
  cat >>"$ROOT/etc/spa-receptionist/spa-receptionist.env" <<ENV
SPA_BIND=127.0.0.1
SPA_HTTP_PORT=$PORT_HTTP
SPA_HTTPS_PORT=$((PORT_HTTP + 1))
SPA_SIP_PORT=$((PORT_HTTP + 2))
SPA_RTP_PORTS=$((PORT_HTTP + 100))-$((PORT_HTTP + 199))
SPA_MODEM=sim
ENV
  in_root systemctl start spa-receptionist
  health_ok || fail "the installed service is not healthy"
  v1=$(readlink "$ROOT/opt/spa-receptionist/current")
  t2=$SECONDS
  make_release 0.1.1 0
  in_root env SPA_UPDATE_HEALTH_TIMEOUT_S=60 bash /usr/src/spa-receptionist/firmware-scripts/update.sh --tarball /var/tmp/spa-receptionist-0.1.1.tar.gz 2>&1 | tee "$WORK/update-1.log" ||
    fail "the update to 0.1.1 failed"
  v2=$(readlink "$ROOT/opt/spa-receptionist/current")
  case "$v2" in */releases/0.1.1-*) ;; *) fail "current is $v2 after the update to 0.1.1" ;; esac
  health_ok || fail "0.1.1 is not healthy"
  ls "$ROOT"/var/lib/spa-receptionist/backups/pre-update-*.db >/dev/null || fail "no copy of the database before the update"
  say "updated $v1 -> $v2 in $((SECONDS - t2)) s"
  t3=$SECONDS
  make_release 0.1.2 1
  unit_before=$(sha256sum <"$ROOT/etc/systemd/system/spa-receptionist.service")
  if in_root env SPA_UPDATE_HEALTH_TIMEOUT_S=30 bash /usr/src/spa-receptionist/firmware-scripts/update.sh --tarball /var/tmp/spa-receptionist-0.1.2.tar.gz 2>&1 | tee "$WORK/update-2.log"; then
    fail "the broken 0.1.2 was not reported as a failed update"
  fi
  grep -q 'rolling back' "$WORK/update-2.log" || fail "no rollback of the broken 0.1.2"
  [ "$(readlink "$ROOT/opt/spa-receptionist/current")" = "$v2" ] || fail "current is not back on $v2"
  health_ok || fail "the rolled-back 0.1.1 is not healthy"
  [ "$(sha256sum <"$ROOT/etc/systemd/system/spa-receptionist.service")" = "$unit_before" ] || fail "the rollback left 0.1.2's unit file in place"
  say "a broken 0.1.2 rolled back to $v2 in $((SECONDS - t3)) s"
  in_root systemctl stop spa-receptionist
fi
say "PASS (install $t_install s, reinstall $t_reinstall s)"
