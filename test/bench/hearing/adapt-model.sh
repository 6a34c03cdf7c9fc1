#!/usr/bin/env bash
# Adapts Debian's en-us acoustic model to the speech made by adapt-data.ts (the CMUSphinx recipe
# "adapting the default acoustic model"): features with the model's own front end (sphinx_fe),
# Baum-Welch statistics (bw), then an MLLR transform (mllr_solve) and a MAP-adapted model
# (map_adapt, mk_s2sendump). Needs sphinxtrain and sphinxbase-utils.
#   test/bench/hearing/adapt-model.sh DATA_DIR [map]
# Writes DATA_DIR/mllr_matrix, and with `map` DATA_DIR/map/ (a model folder for -hmm).
set -euo pipefail
data=$(realpath "${1:?usage: adapt-model.sh DATA_DIR [map]}")
root=$(cd "$(dirname "$0")/../../.." && pwd)
hmm=/usr/share/pocketsphinx/model/en-us/en-us
dict=/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict
st=/usr/lib/sphinxtrain
cd "$data"
mkdir -p base acc
# The model's binary mdef as text and its sendump as mixture_weights: bw reads only those.
pocketsphinx_mdef_convert -text "$hmm/mdef" base/mdef.txt >/dev/null 2>&1
node "$root/dist/appliance/voice/asr/adapt/cli.js" mixw "$hmm/sendump" base/mixture_weights
sphinx_fe -argfile "$hmm/feat.params" -samprate 16000 -c train.fileids -di . -do . -ei raw -eo mfc -raw yes -input_endian little >fe.log 2>&1
"$st/bw" -hmmdir "$hmm" -moddeffn base/mdef.txt -mixwfn base/mixture_weights -ts2cbfn .ptm. -feat 1s_c_d_dd -svspec 0-12/13-25/26-38 \
  -cmn current -agc none -dictfn "$dict" -fdictfn "$hmm/noisedict" -ctlfn train.fileids -lsnfn train.transcription -cepdir . -cepext mfc -accumdir acc >bw.log 2>&1
"$st/mllr_solve" -meanfn "$hmm/means" -varfn "$hmm/variances" -outmllrfn mllr_matrix -accumdir acc >mllr.log 2>&1
if [[ "${2:-}" == map ]]; then
  mkdir -p map
  cp "$hmm/feat.params" "$hmm/noisedict" "$hmm/mdef" "$hmm/transition_matrices" map/
  "$st/map_adapt" -moddeffn base/mdef.txt -ts2cbfn .ptm. -meanfn "$hmm/means" -varfn "$hmm/variances" -mixwfn base/mixture_weights \
    -tmatfn "$hmm/transition_matrices" -accumdir acc -mapmeanfn map/means -mapvarfn map/variances -mapmixwfn map/mixture_weights \
    -maptmatfn map/transition_matrices >map.log 2>&1
  "$st/mk_s2sendump" -pocketsphinx yes -moddeffn base/mdef.txt -mixwfn map/mixture_weights -sendumpfn map/sendump >>map.log 2>&1
  rm map/mixture_weights
fi
echo "adapted: $data/mllr_matrix${2:+ and $data/map}"
