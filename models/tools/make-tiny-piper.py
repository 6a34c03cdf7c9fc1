#!/usr/bin/python3
"""Builds a tiny random-weight stand-in for a Piper voice as sherpa-onnx packages it, for tests only.

Run with Debian's python (python3-onnx + numpy):
    /usr/bin/python3 models/tools/make-tiny-piper.py OUT_DIR [--sample-rate 16000] [--speakers 1]
writes OUT_DIR/tiny-piper.onnx and OUT_DIR/tokens.txt (no espeak-ng-data: pass the system's or a
voice package's). `--drop-metadata KEY` leaves one metadata key out: a valid ONNX file that sherpa-onnx
rejects by exiting the process (for tests of the load-failure path).

What sherpa-onnx (csrc/offline-tts-vits-model.cc, offline-tts-vits-impl.h, piper-phonemize-lexicon.cc)
requires of a Piper model, and what Piper's export (piper_train.export_onnx) produces:

  inputs   input          int64   [1, T]   phoneme ids: ^ _ p1 _ p2 _ ... pn _ $   (bos, pad between, eos)
           input_lengths  int64   [1]      T
           scales         float32 [3]      noise_scale, length_scale (= 1 / speed), noise_scale_w
           sid            int64   [1]      only in multi-speaker voices; sherpa passes it when input 3 is "sid"
  output   output         float32 [1, 1, N] audio at sample_rate, in [-1, 1]
  metadata comment contains "piper" (selects the 3-input "scales" calling convention and the espeak
           frontend when a data dir is given); sample_rate, n_speakers and language are read with no
           default (a missing key makes sherpa-onnx exit the process); voice is the espeak-ng voice
           (en-us); model_type, version, has_espeak, has_g2pw as scripts/piper/add_meta_data.py writes.
  tokens   tokens.txt: "<symbol> <id>" per line, one Unicode code point per symbol, the space written as
           " 3"; sherpa looks up _ (pad), ^ (bos) and $ (eos) and skips phonemes it does not know.
           This file lists Piper's DEFAULT_PHONEME_ID_MAP (piper-phonemize/src/phoneme_ids.hpp).

Behaviour (deterministic, so tests can assert on it): each token id has a seeded-random duration
(1-4 frames of 256 samples; the pad 1 frame, bos 8 frames of silence, eos 2 frames of silence),
loudness and pitch; durations are multiplied by length_scale and rounded up, so longer text and a
slower speed give longer audio. Every frame is a sine at its token's pitch (times the speaker's
factor) plus a noise_scale-weighted overtone: a buzz, not speech. The file is byte-identical for
the same arguments and script, so callers may cache it by the script's hash.
"""

import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

NUM_SYMBOLS = 256  # Piper's embedding size; ids above the map are never produced
HOP = 256  # samples per frame, as in Piper's VITS decoder
SEED = 20240611
PAD, BOS, EOS = 0, 1, 2

# Piper's DEFAULT_PHONEME_ID_MAP (non-Windows), id order.
PHONEMES = (
    ["_", "^", "$", " ", "!", "'", "(", ")", ",", "-", ".", ":", ";", "?"]
    + list("abcdefhijklmnopqrstuvwxyz")
    + list("æçðøħŋœǀǁǂǃɐɑɒɓɔɕɖɗɘəɚɛɜɞɟɠɡɢɣɤɥɦɧɨɪɫɬɭɮɯɰɱɲɳɴɵɶɸɹɺɻɽɾʀʁʂʃʄʈʉʊʋʌʍʎʏʐʑʒʔʕʘʙʛʜʝʟʡʢʲˈˌːˑ˞βθχᵻⱱ")
    + list("0123456789")
    + ["\u0327", "\u0303", "\u032a", "\u032f", "\u0329", "ʰ", "ˤ", "ε", "↓", "#", '"', "↑", "\u033a", "\u033b", "g", "ʦ", "X", "\u031d", "\u030a"]
)
assert len(PHONEMES) == 159 and len(set(PHONEMES)) == 159, len(PHONEMES)


def tokens_txt() -> str:
    lines = []
    for i, p in enumerate(PHONEMES):
        lines.append(f" {i}" if p == " " else f"{p} {i}")
    return "\n".join(lines) + "\n"


def build(sample_rate: int, speakers: int, drop_metadata: str | None = None) -> onnx.ModelProto:
    rng = np.random.default_rng(SEED)
    durations = rng.integers(1, 5, size=NUM_SYMBOLS).astype(np.float32)
    durations[PAD], durations[BOS], durations[EOS] = 1, 8, 2
    loudness = rng.uniform(0.2, 0.5, size=NUM_SYMBOLS).astype(np.float32)
    loudness[BOS] = loudness[EOS] = 0.0
    pitch = rng.uniform(110.0, 420.0, size=NUM_SYMBOLS).astype(np.float32)
    speaker_factor = rng.uniform(0.8, 1.25, size=max(speakers, 1)).astype(np.float32)
    speaker_factor[0] = 1.0

    f = numpy_helper.from_array
    inits = [
        f(durations, "dur_table"),
        f(loudness, "amp_table"),
        f(pitch, "pitch_table"),
        f(speaker_factor, "speaker_table"),
        f(np.array([0], dtype=np.int64), "axis0"),
        f(np.array([1], dtype=np.int64), "axis1"),
        f(np.array(0, dtype=np.int64), "i0"),
        f(np.array(1, dtype=np.int64), "i1"),
        f(np.array(0, dtype=np.int64), "idx_noise"),
        f(np.array(1, dtype=np.int64), "idx_length"),
        f(np.array(0.0, dtype=np.float32), "f0"),
        f(np.array(1.0, dtype=np.float32), "f1"),
        f(np.array([HOP], dtype=np.int64), "hop_1d"),
        f(np.array([-1], dtype=np.int64), "flat"),
        f(np.array([1, 1, -1], dtype=np.int64), "out_shape"),
        f(np.array(2.0 * np.pi / sample_rate, dtype=np.float32), "omega"),
        f(np.array(2.7, dtype=np.float32), "overtone"),
        f(np.array(0.15, dtype=np.float32), "overtone_gain"),
    ]
    n = helper.make_node
    nodes = [
        # tokens within input_lengths, as a flat [T]
        n("Squeeze", ["input", "axis0"], ["ids"]),
        n("Shape", ["ids"], ["t_shape"]),
        n("Squeeze", ["t_shape", "axis0"], ["t_len"]),
        n("Range", ["i0", "t_len", "i1"], ["positions"]),
        n("Less", ["positions", "input_lengths"], ["valid"]),
        n("Cast", ["valid"], ["valid_f"], to=TensorProto.FLOAT),
        # frames per token = ceil(duration * length_scale), 0 past input_lengths
        n("Gather", ["scales", "idx_length"], ["length_scale"]),
        n("Gather", ["scales", "idx_noise"], ["noise_scale"]),
        n("Gather", ["dur_table", "ids"], ["dur"]),
        n("Mul", ["dur", "length_scale"], ["dur_scaled"]),
        n("Ceil", ["dur_scaled"], ["dur_ceil"]),
        n("Mul", ["dur_ceil", "valid_f"], ["frames"]),
        n("CumSum", ["frames", "i0"], ["ends"]),
        n("ReduceSum", ["frames"], ["total_frames"], keepdims=0),
        # which token each frame belongs to: the number of token ends at or before it
        n("Range", ["f0", "total_frames", "f1"], ["frame_pos"]),
        n("Unsqueeze", ["frame_pos", "axis1"], ["frame_col"]),  # [F, 1]
        n("Unsqueeze", ["ends", "axis0"], ["ends_row"]),  # [1, T]
        n("GreaterOrEqual", ["frame_col", "ends_row"], ["passed"]),
        n("Cast", ["passed"], ["passed_i"], to=TensorProto.INT64),
        n("ReduceSum", ["passed_i", "axis1"], ["frame_token"], keepdims=0),  # [F]
        n("Gather", ["ids", "frame_token"], ["frame_ids"]),
        n("Gather", ["amp_table", "frame_ids"], ["frame_amp"]),
        n("Gather", ["pitch_table", "frame_ids"], ["frame_pitch0"]),
        n("Mul", ["frame_pitch0", "speaker_factor"], ["frame_pitch"]),
        # frames -> samples: each frame value repeated HOP times
        n("Shape", ["frame_amp"], ["f_shape"]),
        n("Concat", ["f_shape", "hop_1d"], ["fh_shape"], axis=0),
        n("Unsqueeze", ["frame_amp", "axis1"], ["amp_col"]),
        n("Expand", ["amp_col", "fh_shape"], ["amp_fh"]),
        n("Reshape", ["amp_fh", "flat"], ["amp"]),
        n("Unsqueeze", ["frame_pitch", "axis1"], ["pitch_col"]),
        n("Expand", ["pitch_col", "fh_shape"], ["pitch_fh"]),
        n("Reshape", ["pitch_fh", "flat"], ["hz"]),
        n("Shape", ["amp"], ["n_shape"]),
        n("Squeeze", ["n_shape", "axis0"], ["n_len"]),
        n("Range", ["i0", "n_len", "i1"], ["sample_i"]),
        n("Cast", ["sample_i"], ["sample_t"], to=TensorProto.FLOAT),
        n("Mul", ["sample_t", "omega"], ["wt"]),
        n("Mul", ["wt", "hz"], ["phase"]),
        n("Sin", ["phase"], ["tone"]),
        n("Mul", ["phase", "overtone"], ["phase2"]),
        n("Sin", ["phase2"], ["tone2"]),
        n("Mul", ["tone2", "overtone_gain"], ["tone2_g"]),
        n("Mul", ["tone2_g", "noise_scale"], ["tone2_n"]),
        n("Add", ["tone", "tone2_n"], ["mix"]),
        n("Mul", ["mix", "amp"], ["y"]),
        n("Reshape", ["y", "out_shape"], ["output"]),
    ]
    inputs = [
        helper.make_tensor_value_info("input", TensorProto.INT64, [1, "phonemes"]),
        helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
        helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
    ]
    if speakers > 1:
        inputs.append(helper.make_tensor_value_info("sid", TensorProto.INT64, [1]))
        nodes.insert(0, n("Gather", ["speaker_table", "sid"], ["speaker_factor"]))
    else:
        nodes.insert(0, n("Gather", ["speaker_table", "axis0"], ["speaker_factor"]))

    graph = helper.make_graph(
        nodes,
        "tiny_piper_vits",
        inputs=inputs,
        outputs=[helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, "time"])],
        initializer=inits,
    )
    model = helper.make_model(
        graph,
        producer_name="spa-receptionist/models/tools/make-tiny-piper.py",
        opset_imports=[helper.make_opsetid("", 15)],
    )
    model.ir_version = 8
    meta = {
        "model_type": "vits",
        "comment": "piper",
        "language": "English",
        "voice": "en-us",
        "version": 1,
        "has_espeak": 1,
        "has_g2pw": 0,
        "n_speakers": speakers,
        "sample_rate": sample_rate,
    }
    for key, value in meta.items():
        if key == drop_metadata:
            continue
        entry = model.metadata_props.add()
        entry.key = key
        entry.value = str(value)
    onnx.checker.check_model(model, full_check=True)
    return model


def main() -> int:
    parser = argparse.ArgumentParser(description="tiny random-weight Piper voice stand-in (tests only)")
    parser.add_argument("out_dir", help="directory for tiny-piper.onnx and tokens.txt")
    parser.add_argument("--sample-rate", type=int, default=16000, help="16000 like Piper 'low' voices, 22050 like 'medium'")
    parser.add_argument("--speakers", type=int, default=1, help="more than 1 adds the sid input")
    parser.add_argument("--drop-metadata", default=None, help="leave this metadata key out (sherpa-onnx then exits)")
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    onnx.save(build(args.sample_rate, args.speakers, args.drop_metadata), os.path.join(args.out_dir, "tiny-piper.onnx"))
    with open(os.path.join(args.out_dir, "tokens.txt"), "w", encoding="utf-8") as out:
        out.write(tokens_txt())
    return 0


if __name__ == "__main__":
    sys.exit(main())
