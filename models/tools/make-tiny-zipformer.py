#!/usr/bin/python3
"""Builds a tiny random-weight stand-in for a streaming zipformer transducer (icefall "zipformer2",
sherpa-onnx export form), for tests only.

Run with Debian's python (python3-onnx + numpy):
    /usr/bin/python3 models/tools/make-tiny-zipformer.py OUT_DIR
writes OUT_DIR/encoder.onnx, OUT_DIR/decoder.onnx, OUT_DIR/joiner.onnx and OUT_DIR/tokens.txt.

The files have exactly the interface sherpa-onnx's online transducer uses for model_type "zipformer2"
(sherpa-onnx/csrc/online-transducer-model.cc picks the class from the encoder's `model_type`;
online-zipformer2-transducer-model.cc reads the metadata and builds the initial states;
online-recognizer-transducer-impl.h feeds chunks; online-transducer-greedy-search-decoder.cc runs
decoder and joiner; names as in icefall's zipformer/export-onnx-streaming.py):

  encoder  inputs   x                       float32 [N, T, 80]      T = metadata "T" feature frames a chunk,
                                                                    the window moves by "decode_chunk_len"
                    per layer i (6 each, stack s = the layer's stack):
                    cached_key_i            float32 [left_context_len[s], N, query_head_dims[s] * num_heads[s]]
                    cached_nonlin_attn_i    float32 [1, N, left_context_len[s], 3 * encoder_dims[s] / 4]
                    cached_val1_i           float32 [left_context_len[s], N, value_head_dims[s] * num_heads[s]]
                    cached_val2_i           float32 (same)
                    cached_conv1_i          float32 [N, encoder_dims[s], cnn_module_kernels[s] / 2]
                    cached_conv2_i          float32 (same)
                    embed_states            float32 [N, 128, 3, 19]   (19 = ((80 - 1) / 2 - 1) / 2)
                    processed_lens          int64   [N]
           outputs  encoder_out             float32 [N, decode_chunk_len / 4, joiner_dim]
                    new_<state>             one per input state, same shape, same order
           metadata model_type=zipformer2, encoder_dims, query_head_dims, value_head_dims, num_heads,
                    num_encoder_layers, cnn_module_kernels, left_context_len (comma lists), T, decode_chunk_len
                    (SHERPA_ONNX_READ_META_DATA*: a missing key exits the process)
  decoder  inputs   y            int64   [N, context_size]   the last context_size tokens (blank-padded)
           outputs  decoder_out  float32 [N, joiner_dim]     (exactly one output: sherpa takes two as NeMo)
           metadata context_size, vocab_size
  joiner   inputs   encoder_out  float32 [N, joiner_dim], decoder_out float32 [N, joiner_dim]
           outputs  logit        float32 [N, vocab_size]      blank is id 0
           metadata joiner_dim
  tokens.txt  "<piece> <id>": <blk> 0, <sos/eos> 1, <unk> 2, then upper-case BPE-like pieces ("▁" starts a word)

The encoder's layers are stand-ins (a linear map of each 4 feature frames, a key cache that rolls
with the chunk's output and feeds back into it, the other caches decaying through tanh,
processed_lens counting frames): the streaming state path is real, the weights random and the text
nonsense. Output is deterministic (seeded), so callers may cache the files by the script's hash.
"""

import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SEED = 20240612
FEAT = 80
DECODE_CHUNK_LEN = 32  # feature frames per chunk (chunk-16 at 50 Hz after the 2x embedding)
PAD = 13  # 7 for the convolutional embedding + 2 * 3 for the ConvNeXt right context, as icefall
T = DECODE_CHUNK_LEN + PAD
OUT_FRAMES = DECODE_CHUNK_LEN // 4  # 25 Hz encoder output
NUM_ENCODER_LAYERS = [1, 1]
ENCODER_DIMS = [64, 48]
QUERY_HEAD_DIMS = [8, 8]
VALUE_HEAD_DIMS = [4, 4]
NUM_HEADS = [2, 2]
CNN_MODULE_KERNELS = [7, 5]
LEFT_CONTEXT_LEN = [32, 16]
JOINER_DIM = 32
DECODER_DIM = 32
CONTEXT_SIZE = 2
EMBED_DIM = ((FEAT - 1) // 2 - 1) // 2

PIECES = [
    "▁YES", "▁NO", "▁PLEASE", "▁THANK", "S", "▁BOOK", "▁BO", "TOX", "▁FRI", "DAY", "▁TUES", "▁MORNING",
    "▁AFTER", "NOON", "▁NEXT", "▁CANCEL", "▁MY", "▁APPOINT", "MENT", "▁THE", "▁A", "▁I", "▁TO", "▁CAN",
    "▁YOU", "▁HAVE", "▁WHAT", "▁TIME", "▁OPEN", "▁HOW", "▁MUCH", "▁IS", "ED", "ING", "ER", "'",
] + [chr(c) for c in range(ord("A"), ord("Z") + 1)]
TOKENS = ["<blk>", "<sos/eos>", "<unk>"] + PIECES
VOCAB = len(TOKENS)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def i64(a):
    return np.asarray(a, dtype=np.int64)


def add_meta(model: onnx.ModelProto, meta: dict) -> None:
    for key, value in meta.items():
        prop = model.metadata_props.add()
        prop.key = key
        prop.value = str(value)


def finish(graph, part: str) -> onnx.ModelProto:
    model = helper.make_model(graph, producer_name=f"spa-receptionist/models/tools/make-tiny-zipformer.py {part}", opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model, full_check=True)
    return model


def encoder_model(rng) -> onnx.ModelProto:
    n = helper.make_node
    inits = [
        numpy_helper.from_array(f32(rng.standard_normal((4 * FEAT, JOINER_DIM)) / np.sqrt(4 * FEAT)), "w_in"),
        numpy_helper.from_array(f32(rng.standard_normal(JOINER_DIM) * 0.1), "b_in"),
        numpy_helper.from_array(i64([0]), "start0"),
        numpy_helper.from_array(i64([DECODE_CHUNK_LEN]), "chunk_end"),
        numpy_helper.from_array(i64([1]), "axis1"),
        numpy_helper.from_array(i64([0]), "axis0"),
        numpy_helper.from_array(i64([OUT_FRAMES]), "out_frames"),
        numpy_helper.from_array(i64([2**31]), "to_end"),
        numpy_helper.from_array(i64([0, OUT_FRAMES, 4 * FEAT]), "frames_shape"),
        numpy_helper.from_array(f32(0.5), "decay"),
        numpy_helper.from_array(i64(DECODE_CHUNK_LEN // 2), "lens_step"),
    ]
    nodes = [
        # each 4 feature frames of the chunk's first decode_chunk_len -> one output frame
        n("Slice", ["x", "start0", "chunk_end", "axis1"], ["chunk"]),  # [N, 32, 80]
        n("Reshape", ["chunk", "frames_shape"], ["stacked"]),  # [N, 8, 320]
        n("MatMul", ["stacked", "w_in"], ["proj"]),
        n("Add", ["proj", "b_in"], ["h0"]),  # [N, 8, J]
    ]
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", T, FEAT])]
    outputs = [helper.make_tensor_value_info("encoder_out", TensorProto.FLOAT, ["N", OUT_FRAMES, JOINER_DIM])]
    feedback = []  # terms added to h0 from the key caches
    layer = 0
    for s, count in enumerate(NUM_ENCODER_LAYERS):
        key_dim = QUERY_HEAD_DIMS[s] * NUM_HEADS[s]
        value_dim = VALUE_HEAD_DIMS[s] * NUM_HEADS[s]
        left = LEFT_CONTEXT_LEN[s]
        dim = ENCODER_DIMS[s]
        shapes = {
            "cached_key": [left, "N", key_dim],
            "cached_nonlin_attn": [1, "N", left, 3 * dim // 4],
            "cached_val1": [left, "N", value_dim],
            "cached_val2": [left, "N", value_dim],
            "cached_conv1": ["N", dim, CNN_MODULE_KERNELS[s] // 2],
            "cached_conv2": ["N", dim, CNN_MODULE_KERNELS[s] // 2],
        }
        for _ in range(count):
            for kind, shape in shapes.items():
                name = f"{kind}_{layer}"
                inputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, shape))
                outputs.append(helper.make_tensor_value_info(f"new_{name}", TensorProto.FLOAT, shape))
                if kind == "cached_key":
                    # roll: drop the oldest OUT_FRAMES rows, append this chunk's keys
                    inits.append(numpy_helper.from_array(f32(rng.standard_normal((JOINER_DIM, key_dim)) / np.sqrt(JOINER_DIM)), f"w_k_{layer}"))
                    inits.append(numpy_helper.from_array(f32(rng.standard_normal((key_dim, JOINER_DIM)) / np.sqrt(key_dim)), f"w_fb_{layer}"))
                    nodes += [
                        n("Slice", [name, "out_frames", "to_end", "axis0"], [f"{name}_kept"]),
                        n("MatMul", ["h0", f"w_k_{layer}"], [f"{name}_new_nt"]),  # [N, 8, key_dim]
                        n("Transpose", [f"{name}_new_nt"], [f"{name}_new"], perm=[1, 0, 2]),
                        n("Concat", [f"{name}_kept", f"{name}_new"], [f"new_{name}"], axis=0),
                        n("ReduceMean", [name], [f"{name}_mean"], axes=[0], keepdims=0),  # [N, key_dim]
                        n("MatMul", [f"{name}_mean", f"w_fb_{layer}"], [f"{name}_fb2"]),
                        n("Unsqueeze", [f"{name}_fb2", "axis1"], [f"{name}_fb"]),  # [N, 1, J]
                    ]
                    feedback.append(f"{name}_fb")
                else:
                    fixed = [d for d in shape if d != "N"]
                    bshape = [1 if d == "N" else d for d in shape]
                    assert len(fixed) == len(shape) - 1
                    inits.append(numpy_helper.from_array(f32(rng.standard_normal(bshape) * 0.1), f"c_{name}"))
                    nodes += [
                        n("Mul", [name, "decay"], [f"{name}_d"]),
                        n("Add", [f"{name}_d", f"c_{name}"], [f"{name}_p"]),
                        n("Tanh", [f"{name}_p"], [f"new_{name}"]),
                    ]
            layer += 1
    embed_shape = ["N", 128, 3, EMBED_DIM]
    inputs.append(helper.make_tensor_value_info("embed_states", TensorProto.FLOAT, embed_shape))
    outputs.append(helper.make_tensor_value_info("new_embed_states", TensorProto.FLOAT, embed_shape))
    inits.append(numpy_helper.from_array(f32(rng.standard_normal((1, 128, 3, EMBED_DIM)) * 0.1), "c_embed_states"))
    nodes += [
        n("Mul", ["embed_states", "decay"], ["embed_d"]),
        n("Add", ["embed_d", "c_embed_states"], ["embed_p"]),
        n("Tanh", ["embed_p"], ["new_embed_states"]),
    ]
    inputs.append(helper.make_tensor_value_info("processed_lens", TensorProto.INT64, ["N"]))
    outputs.append(helper.make_tensor_value_info("new_processed_lens", TensorProto.INT64, ["N"]))
    nodes.append(n("Add", ["processed_lens", "lens_step"], ["new_processed_lens"]))
    acc = "h0"
    for i, fb in enumerate(feedback):
        nodes.append(n("Add", [acc, fb], [f"h_fb{i}"]))
        acc = f"h_fb{i}"
    nodes.append(n("Tanh", [acc], ["encoder_out"]))
    model = finish(helper.make_graph(nodes, "tiny_zipformer2_encoder", inputs, outputs, inits), "encoder")
    add_meta(model, {
        "model_type": "zipformer2",
        "version": "1",
        "model_author": "spa-receptionist tests",
        "comment": "tiny random-weight streaming zipformer2 stand-in",
        "decode_chunk_len": DECODE_CHUNK_LEN,
        "T": T,
        "num_encoder_layers": ",".join(map(str, NUM_ENCODER_LAYERS)),
        "encoder_dims": ",".join(map(str, ENCODER_DIMS)),
        "cnn_module_kernels": ",".join(map(str, CNN_MODULE_KERNELS)),
        "left_context_len": ",".join(map(str, LEFT_CONTEXT_LEN)),
        "query_head_dims": ",".join(map(str, QUERY_HEAD_DIMS)),
        "value_head_dims": ",".join(map(str, VALUE_HEAD_DIMS)),
        "num_heads": ",".join(map(str, NUM_HEADS)),
    })
    return model


def decoder_model(rng) -> onnx.ModelProto:
    n = helper.make_node
    inits = [
        numpy_helper.from_array(f32(rng.standard_normal((VOCAB, DECODER_DIM)) * 0.5), "embedding"),
        numpy_helper.from_array(f32(rng.standard_normal((DECODER_DIM, JOINER_DIM)) / np.sqrt(DECODER_DIM)), "w_proj"),
    ]
    nodes = [
        n("Gather", ["embedding", "y"], ["emb"], axis=0),  # [N, ctx, D]
        n("ReduceMean", ["emb"], ["ctx_mean"], axes=[1], keepdims=0),
        n("Relu", ["ctx_mean"], ["act"]),
        n("MatMul", ["act", "w_proj"], ["decoder_out"]),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny_zipformer2_decoder",
        [helper.make_tensor_value_info("y", TensorProto.INT64, ["N", CONTEXT_SIZE])],
        [helper.make_tensor_value_info("decoder_out", TensorProto.FLOAT, ["N", JOINER_DIM])],
        inits,
    )
    model = finish(graph, "decoder")
    add_meta(model, {"context_size": CONTEXT_SIZE, "vocab_size": VOCAB})
    return model


def joiner_model(rng) -> onnx.ModelProto:
    n = helper.make_node
    bias = np.zeros(VOCAB, dtype=np.float32)
    bias[0] = 2.0  # blank is likelier than any one piece, as in a trained model
    inits = [
        numpy_helper.from_array(f32(rng.standard_normal((JOINER_DIM, VOCAB)) / np.sqrt(JOINER_DIM) * 2), "w_out"),
        numpy_helper.from_array(bias, "b_out"),
    ]
    nodes = [
        n("Add", ["encoder_out", "decoder_out"], ["sum"]),
        n("Tanh", ["sum"], ["act"]),
        n("MatMul", ["act", "w_out"], ["raw"]),
        n("Add", ["raw", "b_out"], ["logit"]),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny_zipformer2_joiner",
        [
            helper.make_tensor_value_info("encoder_out", TensorProto.FLOAT, ["N", JOINER_DIM]),
            helper.make_tensor_value_info("decoder_out", TensorProto.FLOAT, ["N", JOINER_DIM]),
        ],
        [helper.make_tensor_value_info("logit", TensorProto.FLOAT, ["N", VOCAB])],
        inits,
    )
    model = finish(graph, "joiner")
    add_meta(model, {"joiner_dim": JOINER_DIM})
    return model


def main() -> int:
    parser = argparse.ArgumentParser(description="tiny random-weight streaming zipformer2 transducer in sherpa-onnx export form (tests only)")
    parser.add_argument("out_dir", help="folder to write encoder.onnx, decoder.onnx, joiner.onnx, tokens.txt into")
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    rng = np.random.default_rng(SEED)
    onnx.save(encoder_model(rng), os.path.join(args.out_dir, "encoder.onnx"))
    onnx.save(decoder_model(rng), os.path.join(args.out_dir, "decoder.onnx"))
    onnx.save(joiner_model(rng), os.path.join(args.out_dir, "joiner.onnx"))
    with open(os.path.join(args.out_dir, "tokens.txt"), "w", encoding="utf-8") as f:
        f.write("".join(f"{t} {i}\n" for i, t in enumerate(TOKENS)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
