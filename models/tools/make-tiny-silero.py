#!/usr/bin/python3
"""Builds a tiny random-weight stand-in for Silero VAD v5 (silero_vad.onnx), for tests only.

Run with Debian's python (python3-onnx + numpy):  /usr/bin/python3 models/tools/make-tiny-silero.py OUT.onnx
`--input-name NAME` renames the first input (default "input"): a valid ONNX file that sherpa-onnx
rejects, for tests of the load-failure path.

The graph has exactly the inputs and outputs sherpa-onnx's SileroVadModel takes as "v5"
(silero-vad-model.cc: 3 inputs + 2 outputs means v5; names are checked in this order):

  inputs   input   float32 [batch, samples]   sherpa feeds [1, 576]: a 512-sample window plus 64 of context
           state   float32 [2, batch, 128]    zeros after reset; sherpa feeds back stateN
           sr      int64   scalar             sherpa feeds 16000 (as a 1-element tensor)
  outputs  output  float32 [batch, 1]         speech probability; sherpa reads element 0
           stateN  float32 [2, batch, 128]

Behaviour (deterministic, so tests can assert on it): output = sigmoid(SLOPE * ln(rms / RMS_AT_HALF)),
i.e. 0.5 at -40 dBFS, ~1 for a -20 dBFS tone, ~0 for silence. stateN is tanh(0.5 * state + rms * W)
with W seeded-random: it keeps the state path live (shape and feedback) without touching the output.
The file is byte-identical for a given script, so callers may cache it by the script's hash.
"""

import argparse
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HIDDEN = 128
RMS_AT_HALF = 0.01  # -40 dBFS full-scale RMS gives probability 0.5
SLOPE = 4.0  # per natural-log unit of RMS: -30 dBFS -> 0.99, -50 dBFS -> 0.01
SEED = 20240605


def build(input_name: str = "input") -> onnx.ModelProto:
    rng = np.random.default_rng(SEED)
    w = rng.standard_normal((1, 1, HIDDEN)).astype(np.float32) * 0.1

    inits = [
        numpy_helper.from_array(np.array([0], dtype=np.int64), "axes_0"),
        numpy_helper.from_array(np.array(1e-12, dtype=np.float32), "eps"),
        numpy_helper.from_array(np.array(np.log(RMS_AT_HALF), dtype=np.float32), "log_half"),
        numpy_helper.from_array(np.array(SLOPE, dtype=np.float32), "slope"),
        numpy_helper.from_array(np.array(16000, dtype=np.int64), "sr_ref"),
        numpy_helper.from_array(np.array(0.5, dtype=np.float32), "half"),
        numpy_helper.from_array(np.array(0.5, dtype=np.float32), "decay"),
        numpy_helper.from_array(w, "w_state"),
    ]

    nodes = [
        # mean square per row -> [batch, 1]
        helper.make_node("Mul", [input_name, input_name], ["sq"]),
        helper.make_node("ReduceMean", ["sq"], ["ms"], axes=[1], keepdims=1),  # opset 13: axes is an attribute
        helper.make_node("Add", ["ms", "eps"], ["ms_eps"]),
        # ln(rms) = 0.5 * ln(mean square)
        helper.make_node("Log", ["ms_eps"], ["ln_ms"]),
        helper.make_node("Mul", ["ln_ms", "half"], ["ln_rms"]),
        helper.make_node("Sub", ["ln_rms", "log_half"], ["ln_rel"]),
        helper.make_node("Mul", ["ln_rel", "slope"], ["logit0"]),
        # keep sr live in the graph: logit * (sr == 16000), so any other rate gives a flat 0.5
        helper.make_node("Equal", ["sr", "sr_ref"], ["sr_ok"]),
        helper.make_node("Cast", ["sr_ok"], ["sr_scale"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["logit0", "sr_scale"], ["logit"]),
        helper.make_node("Sigmoid", ["logit"], ["output"]),
        # state path: [2, batch, 128]
        helper.make_node("Sqrt", ["ms"], ["rms"]),  # [batch, 1]
        helper.make_node("Unsqueeze", ["rms", "axes_0"], ["rms3"]),  # [1, batch, 1]
        helper.make_node("Mul", ["rms3", "w_state"], ["drive"]),  # [1, batch, 128]
        helper.make_node("Mul", ["state", "decay"], ["kept"]),  # [2, batch, 128]
        helper.make_node("Add", ["kept", "drive"], ["pre"]),
        helper.make_node("Tanh", ["pre"], ["stateN"]),
    ]

    graph = helper.make_graph(
        nodes,
        "tiny_silero_vad_v5",
        inputs=[
            helper.make_tensor_value_info(input_name, TensorProto.FLOAT, ["batch", "samples"]),
            helper.make_tensor_value_info("state", TensorProto.FLOAT, [2, "batch", HIDDEN]),
            helper.make_tensor_value_info("sr", TensorProto.INT64, []),
        ],
        outputs=[
            helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", 1]),
            helper.make_tensor_value_info("stateN", TensorProto.FLOAT, [2, "batch", HIDDEN]),
        ],
        initializer=inits,
    )
    model = helper.make_model(
        graph,
        producer_name="spa-receptionist/models/tools/make-tiny-silero.py",
        opset_imports=[helper.make_opsetid("", 13)],
    )
    model.ir_version = 7
    onnx.checker.check_model(model, full_check=True)
    return model


def main() -> int:
    parser = argparse.ArgumentParser(description="tiny random-weight Silero VAD v5 stand-in (tests only)")
    parser.add_argument("out", help="where to write the .onnx file")
    parser.add_argument("--input-name", default="input", help="name of the audio input (sherpa-onnx needs 'input')")
    args = parser.parse_args()
    onnx.save(build(args.input_name), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
