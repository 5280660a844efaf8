"""safetensors interop: files the `safetensors` package writes (F32, F16, BF16, metadata) are
read by MoE Scope's reader with the same names, shapes and values; what MoE Scope's writer
writes again loads in the `safetensors` package equal to the original; a bad file is a clear
error naming it."""
import os
import subprocess
import sys
import tempfile

import torch
from safetensors.torch import load_file, save_file

cli = sys.argv[1]

with tempfile.TemporaryDirectory() as tmp:
    torch.manual_seed(0)
    tensors = {
        "model.layers.0.mlp.experts.0.gate_proj.weight": torch.randn(16, 8),
        "model.layers.0.mlp.gate.weight": torch.randn(4, 8).to(torch.float16),
        "model.embed_tokens.weight": torch.randn(32, 8).to(torch.bfloat16),
        "model.norm.weight": torch.ones(8),
        "scalar": torch.tensor(2.5),
    }
    path = os.path.join(tmp, "model.safetensors")
    save_file(tensors, path, metadata={"format": "pt"})
    copy = os.path.join(tmp, "copy.safetensors")
    done = subprocess.run([cli, "safetensors", path, "--copy", copy], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = {line.split(" ")[0]: line for line in done.stdout.splitlines()}
    assert "metadata format = pt" in done.stdout, done.stdout
    dtypes = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}
    for name, t in tensors.items():
        fields = lines[name].split(" ")
        assert fields[1] == dtypes[t.dtype], (name, lines[name])
        assert fields[2] == "[" + ",".join(str(s) for s in t.shape) + "]", (name, lines[name])
        want = t.double().sum().item()
        assert abs(float(fields[3]) - want) <= 1e-6 * max(1.0, abs(want)), (name, fields[3], want)

    back = load_file(copy)
    assert set(back) == set(tensors), set(back) ^ set(tensors)
    for name, t in tensors.items():
        assert back[name].dtype == t.dtype and torch.equal(back[name], t), name

    bad = os.path.join(tmp, "bad.safetensors")
    with open(path, "rb") as f:
        data = f.read()
    with open(bad, "wb") as f:
        f.write(data[: len(data) // 2])
    done = subprocess.run([cli, "safetensors", bad], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and bad in done.stderr, done.stderr
print("ok")
