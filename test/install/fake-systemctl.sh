#!/bin/sh
# A stand-in for systemctl inside the install test's chroot (no systemd runs there), enough for
# update.sh: start runs the installed unit's ExecStart as its User with its Environment and
# EnvironmentFile; stop sends SIGTERM and waits; is-active says whether it runs.
set -eu
unit=/etc/systemd/system/spa-receptionist.service
pidfile=/run/spa-receptionist.test-pid
running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
case "$1" in
  daemon-reload | enable | disable | is-enabled) exit 0 ;;
  --version) echo "systemd 252 (test stand-in)" ;;
  is-active) running ;;
  stop)
    if running; then
      pid=$(cat "$pidfile")
      kill "$pid"
      while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
    fi
    rm -f "$pidfile"
    ;;
  start)
    running && exit 0
    user=$(sed -n 's/^User=//p' "$unit")
    workdir=$(sed -n 's/^WorkingDirectory=//p' "$unit")
    exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
    env_file=$(sed -n 's/^EnvironmentFile=-\{0,1\}//p' "$unit")
    unit_env=$(sed -n 's/^Environment=//p' "$unit")
    (
      cd "$workdir"
      set -a
      # shellcheck source=/dev/null
      [ -f "$env_file" ] && . "$env_file"
      set +a
      # shellcheck disable=SC2086 # the unit's words, split as systemd splits them
      exec setpriv --reuid="$user" --regid="$user" --init-groups env $unit_env $exec_start
    ) >>/var/log/spa-receptionist.test.log 2>&1 &
    echo $! >"$pidfile"
    ;;
  *) echo "fake systemctl: $* not supported" >&2; exit 1 ;;
esac
