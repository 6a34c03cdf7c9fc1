#!/usr/bin/python3
"""Builds a tiny random-weight stand-in for a Whisper model in sherpa-onnx's export form, for tests only.

Run with Debian's python (python3-onnx + numpy):
    /usr/bin/python3 models/tools/make-tiny-whisper.py OUT_DIR [--name tiny-random]
writes OUT_DIR/<name>-encoder.onnx, OUT_DIR/<name>-decoder.onnx and OUT_DIR/<name>-tokens.txt.

The files have exactly the interface sherpa-onnx's OfflineWhisperModel and greedy-search decoder use
(sherpa-onnx/csrc/offline-whisper-model.cc, offline-whisper-greedy-search-decoder.cc and
offline-recognizer-whisper-impl.h; names as in scripts/whisper/export-onnx.py):

  encoder  inputs   mel              float32 [N, n_mels, T]       sherpa feeds T = frames + up to 1000 of padding (<= 3000)
           outputs  n_layer_cross_k  float32 [n_text_layer, N, T/2, n_text_state]
                    n_layer_cross_v  float32 [n_text_layer, N, T/2, n_text_state]
           metadata (all read with SHERPA_ONNX_READ_META_DATA, which exits the process if one is missing):
                    n_mels n_text_layer n_text_ctx n_text_state n_vocab sot eot blank_id translate
                    transcribe is_multilingual no_timestamps no_speech sot_sequence, plus the informational
                    keys the real export writes (model_type, n_audio_*, all_language_*, non_speech_tokens, ...)
  decoder  inputs   tokens                   int64   [N, n]              the sot sequence first, then one token a step
                    in_n_layer_self_k_cache  float32 [n_text_layer, N, n_text_ctx, n_text_state]
                    in_n_layer_self_v_cache  float32 (same)
                    n_layer_cross_k          float32 [n_text_layer, N, T/2, n_text_state]
                    n_layer_cross_v          float32 (same)
                    offset                   int64   [1]                 position of tokens[0]
           outputs  logits                    float32 [N, n, n_vocab]
                    out_n_layer_self_k_cache  float32 (as the input cache, rows offset..offset+n written)
                    out_n_layer_self_v_cache
  tokens.txt  "<base64 of the token's bytes> <id>" per line, text tokens only (as the real export:
              special and timestamp ids are absent, and sherpa-onnx skips them in the output)

The vocabulary is laid out like English-only Whisper's, scaled down: text tokens 0..K-1 (whole words
with a leading space, and letters), then eot, sot, translate, transcribe, sot_lm, sot_prev,
no_speech, no_timestamps, then 1501 timestamp tokens. The network is one strided convolution for
the encoder and one layer of masked self-attention (over the KV cache the graph writes at `offset`)
and cross-attention for the decoder: real data flow, random weights, so the text is nonsense.
Output is deterministic (seeded), so callers may cache the files by the script's hash.
"""

import argparse
import base64
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SEED = 20240611
N_MELS = 80
N_TEXT_LAYER = 2
N_TEXT_STATE = 32
N_TEXT_CTX = 64
N_TEXT_HEAD = 1
N_AUDIO_CTX = 1500
N_AUDIO_STATE = N_TEXT_STATE

WORDS = [
    "yes", "no", "please", "thanks", "book", "botox", "dysport", "filler", "facial", "peel", "laser",
    "hair", "removal", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "morning",
    "afternoon", "next", "week", "cancel", "move", "appointment", "name", "time", "open", "price",
    "the", "a", "to", "my", "i", "can", "do", "you", "have", "is", "what", "how", "much",
]
LETTERS = list("abcdefghijklmnopqrstuvwxyz")
TEXT_TOKENS = [" " + w for w in WORDS] + LETTERS + [" ", ".", ","]
K = len(TEXT_TOKENS)
EOT, SOT, TRANSLATE, TRANSCRIBE, SOT_LM, SOT_PREV, NO_SPEECH, NO_TIMESTAMPS = range(K, K + 8)
N_VOCAB = K + 8 + 1501


def f32(a):
    return np.asarray(a, dtype=np.float32)


def i64(a):
    return np.asarray(a, dtype=np.int64)


def encoder_model(rng) -> onnx.ModelProto:
    L, S = N_TEXT_LAYER, N_TEXT_STATE
    inits = [
        numpy_helper.from_array(f32(rng.standard_normal((S, N_MELS, 3)) * 0.05), "conv_w"),
        numpy_helper.from_array(f32(rng.standard_normal(S) * 0.1), "conv_b"),
        numpy_helper.from_array(f32(rng.standard_normal((L, 1, S, S)) / np.sqrt(S)), "w_cross_k"),
        numpy_helper.from_array(f32(rng.standard_normal((L, 1, S, S)) / np.sqrt(S)), "w_cross_v"),
    ]
    nodes = [
        helper.make_node("Conv", ["mel", "conv_w", "conv_b"], ["conv"], strides=[2], pads=[1, 1], kernel_shape=[3]),
        helper.make_node("Tanh", ["conv"], ["act"]),  # [N, S, T/2]
        helper.make_node("Transpose", ["act"], ["frames"], perm=[0, 2, 1]),  # [N, T/2, S]
        helper.make_node("MatMul", ["frames", "w_cross_k"], ["n_layer_cross_k"]),  # [L, N, T/2, S]
        helper.make_node("MatMul", ["frames", "w_cross_v"], ["n_layer_cross_v"]),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny_whisper_encoder",
        inputs=[helper.make_tensor_value_info("mel", TensorProto.FLOAT, ["n_audio", N_MELS, "T"])],
        outputs=[
            helper.make_tensor_value_info("n_layer_cross_k", TensorProto.FLOAT, [L, "n_audio", "T2", S]),
            helper.make_tensor_value_info("n_layer_cross_v", TensorProto.FLOAT, [L, "n_audio", "T2", S]),
        ],
        initializer=inits,
    )
    model = finish(graph, "make-tiny-whisper.py encoder")
    meta = {
        "model_type": "whisper-tiny-random",
        "version": "1",
        "maintainer": "spa-receptionist tests",
        "n_mels": N_MELS,
        "n_audio_ctx": N_AUDIO_CTX,
        "n_audio_state": N_AUDIO_STATE,
        "n_audio_head": 1,
        "n_audio_layer": 1,
        "n_vocab": N_VOCAB,
        "n_text_ctx": N_TEXT_CTX,
        "n_text_state": N_TEXT_STATE,
        "n_text_head": N_TEXT_HEAD,
        "n_text_layer": N_TEXT_LAYER,
        "sot_sequence": str(SOT),
        "all_language_tokens": "",
        "all_language_codes": "",
        "sot": SOT,
        "sot_index": 0,
        "eot": EOT,
        "blank_id": TEXT_TOKENS.index(" "),
        "is_multilingual": 0,
        "no_speech": NO_SPEECH,
        "non_speech_tokens": ",".join(str(TEXT_TOKENS.index(t)) for t in (".", ",")),
        "transcribe": TRANSCRIBE,
        "translate": TRANSLATE,
        "sot_prev": SOT_PREV,
        "sot_lm": SOT_LM,
        "no_timestamps": NO_TIMESTAMPS,
    }
    for key, value in meta.items():
        prop = model.metadata_props.add()
        prop.key = key
        prop.value = str(value)
    return model


def decoder_model(rng) -> onnx.ModelProto:
    L, S, C, V = N_TEXT_LAYER, N_TEXT_STATE, N_TEXT_CTX, N_VOCAB
    # Text tokens are favoured over the 1500 timestamps, so the nonsense comes out as words.
    bias = np.zeros(V, dtype=np.float32)
    bias[:K] = 1.5
    bias[EOT] = 0.5
    inits = [
        numpy_helper.from_array(f32(rng.standard_normal((V, S)) * 0.5), "tok_emb"),
        numpy_helper.from_array(f32(rng.standard_normal((C, S)) * 0.1), "pos_emb"),
        numpy_helper.from_array(f32(rng.standard_normal((L, 1, S, S)) / np.sqrt(S)), "w_self_k"),
        numpy_helper.from_array(f32(rng.standard_normal((L, 1, S, S)) / np.sqrt(S)), "w_self_v"),
        numpy_helper.from_array(f32(rng.standard_normal((S, S)) / np.sqrt(S)), "w_q_self"),
        numpy_helper.from_array(f32(rng.standard_normal((S, S)) / np.sqrt(S)), "w_q_cross"),
        numpy_helper.from_array(f32(rng.standard_normal((S, V)) / np.sqrt(S)), "w_out"),
        numpy_helper.from_array(bias, "b_out"),
        numpy_helper.from_array(i64(0), "zero"),
        numpy_helper.from_array(i64(1), "one"),
        numpy_helper.from_array(i64(C), "ctx"),
        numpy_helper.from_array(i64(L - 1), "last_layer"),
        numpy_helper.from_array(i64([0]), "axes0"),
        numpy_helper.from_array(i64([1]), "axes1"),
        numpy_helper.from_array(i64([1, 1, C, 1]), "mask_shape"),
        numpy_helper.from_array(f32(1.0 / np.sqrt(S)), "scale"),
        numpy_helper.from_array(f32(-1e9), "neg"),
    ]
    n = helper.make_node
    nodes = [
        # positions offset .. offset+n-1
        n("Squeeze", ["offset", "axes0"], ["off"]),
        n("Shape", ["tokens"], ["tok_shape"]),
        n("Gather", ["tok_shape", "one"], ["n_tok"], axis=0),
        n("Add", ["off", "n_tok"], ["end"]),
        n("Range", ["off", "end", "one"], ["pos"]),  # [n]
        n("Gather", ["tok_emb", "tokens"], ["emb"], axis=0),  # [N, n, S]
        n("Gather", ["pos_emb", "pos"], ["pe"], axis=0),  # [n, S]
        n("Add", ["emb", "pe"], ["h"]),
        # write this step's keys and values into the cache rows offset .. offset+n-1
        n("MatMul", ["h", "w_self_k"], ["new_k"]),  # [L, N, n, S]
        n("MatMul", ["h", "w_self_v"], ["new_v"]),
        n("Range", ["zero", "ctx", "one"], ["slots"]),  # [C]
        n("Sub", ["slots", "off"], ["rel"]),
        n("GreaterOrEqual", ["rel", "zero"], ["after_start"]),
        n("Less", ["rel", "n_tok"], ["before_end"]),
        n("And", ["after_start", "before_end"], ["written"]),
        n("Sub", ["n_tok", "one"], ["n_last"]),
        n("Max", ["rel", "zero"], ["rel_lo"]),
        n("Min", ["rel_lo", "n_last"], ["rel_c"]),
        n("Gather", ["new_k", "rel_c"], ["k_spread"], axis=2),  # [L, N, C, S]
        n("Gather", ["new_v", "rel_c"], ["v_spread"], axis=2),
        n("Reshape", ["written", "mask_shape"], ["written4"]),
        n("Where", ["written4", "k_spread", "in_n_layer_self_k_cache"], ["out_n_layer_self_k_cache"]),
        n("Where", ["written4", "v_spread", "in_n_layer_self_v_cache"], ["out_n_layer_self_v_cache"]),
        # causal self-attention over the cache (last layer): query i sees slots <= offset + i
        n("Gather", ["out_n_layer_self_k_cache", "last_layer"], ["keys"], axis=0),  # [N, C, S]
        n("Gather", ["out_n_layer_self_v_cache", "last_layer"], ["values"], axis=0),
        n("MatMul", ["h", "w_q_self"], ["q"]),
        n("Transpose", ["keys"], ["keys_t"], perm=[0, 2, 1]),
        n("MatMul", ["q", "keys_t"], ["s_raw"]),  # [N, n, C]
        n("Mul", ["s_raw", "scale"], ["s_scaled"]),
        n("Unsqueeze", ["pos", "axes1"], ["pos_col"]),  # [n, 1]
        n("LessOrEqual", ["slots", "pos_col"], ["visible"]),  # [n, C]
        n("Where", ["visible", "s_scaled", "neg"], ["s_masked"]),
        n("Softmax", ["s_masked"], ["attn"], axis=-1),
        n("MatMul", ["attn", "values"], ["self_ctx"]),  # [N, n, S]
        n("Add", ["h", "self_ctx"], ["h2"]),
        # cross-attention to the audio (last layer)
        n("Gather", ["n_layer_cross_k", "last_layer"], ["ck"], axis=0),  # [N, T2, S]
        n("Gather", ["n_layer_cross_v", "last_layer"], ["cv"], axis=0),
        n("MatMul", ["h2", "w_q_cross"], ["q2"]),
        n("Transpose", ["ck"], ["ck_t"], perm=[0, 2, 1]),
        n("MatMul", ["q2", "ck_t"], ["c_raw"]),  # [N, n, T2]
        n("Mul", ["c_raw", "scale"], ["c_scaled"]),
        n("Softmax", ["c_scaled"], ["c_attn"], axis=-1),
        n("MatMul", ["c_attn", "cv"], ["cross_ctx"]),
        n("Add", ["h2", "cross_ctx"], ["h3"]),
        n("Tanh", ["h3"], ["h3a"]),
        n("MatMul", ["h3a", "w_out"], ["logits_raw"]),
        n("Add", ["logits_raw", "b_out"], ["logits"]),  # [N, n, V]
    ]
    cache = [L, "n_audio", C, S]
    graph = helper.make_graph(
        nodes,
        "tiny_whisper_decoder",
        inputs=[
            helper.make_tensor_value_info("tokens", TensorProto.INT64, ["n_audio", "n_tokens"]),
            helper.make_tensor_value_info("in_n_layer_self_k_cache", TensorProto.FLOAT, cache),
            helper.make_tensor_value_info("in_n_layer_self_v_cache", TensorProto.FLOAT, cache),
            helper.make_tensor_value_info("n_layer_cross_k", TensorProto.FLOAT, [L, "n_audio", "T", S]),
            helper.make_tensor_value_info("n_layer_cross_v", TensorProto.FLOAT, [L, "n_audio", "T", S]),
            helper.make_tensor_value_info("offset", TensorProto.INT64, [1]),
        ],
        outputs=[
            helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["n_audio", "n_tokens", V]),
            helper.make_tensor_value_info("out_n_layer_self_k_cache", TensorProto.FLOAT, cache),
            helper.make_tensor_value_info("out_n_layer_self_v_cache", TensorProto.FLOAT, cache),
        ],
        initializer=inits,
    )
    return finish(graph, "make-tiny-whisper.py decoder")


def finish(graph, producer: str) -> onnx.ModelProto:
    model = helper.make_model(graph, producer_name=f"spa-receptionist/models/tools/{producer}", opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model, full_check=True)
    return model


def tokens_txt() -> str:
    return "".join(f"{base64.b64encode(t.encode('utf-8')).decode('ascii')} {i}\n" for i, t in enumerate(TEXT_TOKENS))


def main() -> int:
    parser = argparse.ArgumentParser(description="tiny random-weight Whisper stand-in in sherpa-onnx export form (tests only)")
    parser.add_argument("out_dir", help="folder to write <name>-encoder.onnx, <name>-decoder.onnx, <name>-tokens.txt into")
    parser.add_argument("--name", default="tiny-random", help="file name prefix (real exports use tiny.en, base.en, ...)")
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    rng = np.random.default_rng(SEED)
    onnx.save(encoder_model(rng), os.path.join(args.out_dir, f"{args.name}-encoder.onnx"))
    onnx.save(decoder_model(rng), os.path.join(args.out_dir, f"{args.name}-decoder.onnx"))
    with open(os.path.join(args.out_dir, f"{args.name}-tokens.txt"), "w", encoding="ascii") as f:
        f.write(tokens_txt())
    return 0


if __name__ == "__main__":
    sys.exit(main())
