#!/usr/bin/env bash
# Decoder settings for open turns, tried one after another on the hearing bench's TUNING voices and
# dev lines (never the test ones): one row per setting with WER, intent and key-slot accuracy per
# band. Clips are cached; each new setting decodes its lines anew (cached by setting too).
#   test/bench/hearing/sweep.sh N '{"lmWeight":9}' '{"lmWeight":11,"lmWordInsertionPenalty":0.2}' '{};{"domainWeight":0.95}' ...
# N: lines per band (a seeded subset of the dev lines, the same for every setting). Each setting is
# the decoder's (hearing.ts --asr), optionally ';' and the caller model's (--lm). '{}': the defaults.
# BAND=wideband|narrowband limits it to one band. Runs at low priority (the machine is shared).
set -euo pipefail
cd "$(dirname "$0")/../../.."
n=${1:?usage: sweep.sh N SETTINGS_JSON...}
shift
band_args=()
[[ -n "${BAND:-}" ]] && band_args=(--band "$BAND")
printf '%-70s %-10s %6s %5s %5s %7s %5s\n' settings band wer del ins intent keys
for s in "$@"; do
  asr=${s%%;*}
  lm='{}'
  [[ "$s" == *";"* ]] && lm=${s#*;}
  out=$(nice -n 10 node dist/test/bench/run.js hearing --tune --only utterances --n "$n" --asr "$asr" --lm "$lm" "${band_args[@]}" 2>/dev/null)
  # One row per band from the bench's JSON lines.
  node -e '
    const rows = {};
    for (const l of process.argv[1].split("\n")) {
      if (!l.startsWith("{")) continue;
      const j = JSON.parse(l);
      const m = /^(wideband|narrowband)_(wer|intent_accuracy|key_slot_accuracy)$/.exec(j.metric);
      if (m) (rows[m[1]] ??= {})[m[2]] = j.value.toFixed(1);
      if (m && m[2] === "wer") Object.assign(rows[m[1]], { del: j.deleted, ins: j.inserted });
    }
    for (const [b, r] of Object.entries(rows))
      console.log(process.argv[2].padEnd(70), b.padEnd(10), String(r.wer).padStart(6), String(r.del).padStart(5), String(r.ins).padStart(5), String(r.intent_accuracy).padStart(7), String(r.key_slot_accuracy).padStart(5));
  ' "$out" "$s"
done
