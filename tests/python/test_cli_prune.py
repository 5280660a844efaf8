"""moescope-cli prune: a trained checkpoint loses experts, reports what it cost, and trains on."""
import json
import os
import subprocess
import sys
import tempfile

from support import write_config, write_fortunes

cli = sys.argv[1]


def run(*args):
    return subprocess.run([cli, *args], capture_output=True, text=True, timeout=300)


with tempfile.TemporaryDirectory() as tmp:
    write_fortunes(os.path.join(tmp, "fortunes"))
    config = os.path.join(tmp, "run.json")
    write_config(config, os.path.join(tmp, "fortunes"), steps=20, snapshot_every=5)
    ckpt, pruned, report = (os.path.join(tmp, n) for n in ("run.pt", "pruned.pt", "report.json"))
    trained = run("train", "--config", config, "--checkpoint", ckpt)
    assert trained.returncode == 0, trained.stdout + trained.stderr

    done = run("prune", "--checkpoint", ckpt, "--keep", "3", "--method", "reap",
               "--calibration-tokens", "512", "--out", pruned, "--report", report)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "pruning" in done.stdout and "measured on the held-out split" in done.stdout, done.stdout
    with open(report) as f:
        r = json.load(f)
    assert r["method"] == "reap" and r["keep"] == 3 and r["calibration_tokens"] >= 512, r
    assert len(r["layers"]) == 3
    for layer in r["layers"]:
        assert len(layer["kept"]) == 3 and len(layer["removed"]) == 1, layer
        assert sorted(layer["kept"] + layer["removed"]) == [0, 1, 2, 3], layer
        assert 0 <= layer["routed_share_removed"] <= 1 and 0 <= layer["saliency_removed"] <= 1
        assert layer["reconstruction_error"] >= 0
    assert r["parameters"]["after"] < r["parameters"]["before"], r["parameters"]
    assert r["measured"]["validation_loss_after"] > 0

    # The pruned checkpoint resumes from its own config and writes logs of its new shape.
    log = os.path.join(tmp, "pruned.h5")
    more = run("train", "--resume", pruned, "--steps", "25", "--log", log)
    assert more.returncode == 0, more.stdout + more.stderr
    assert "finished at step 25" in more.stdout and "3/3/3 experts (pruned from 4)" in more.stdout, more.stdout
    import h5py
    with h5py.File(log, "r") as f:
        assert f.attrs["experts"] == 3, dict(f.attrs)
        assert f["/routing/load"].shape[1:] == (3, 3), f["/routing/load"].shape

    # Bad input: a message naming the option or file, a non-zero exit, no output file.
    for args, words in [
        (["--keep", "5"], "cannot keep 5 experts of a layer that has 4"),
        (["--keep", "1"], "top-2 routing needs at least 2"),
        (["--keep", "3", "--method", "random"], "--method: pruning method must be frequency or reap"),
    ]:
        out = os.path.join(tmp, "never.pt")
        bad = run("prune", "--checkpoint", ckpt, "--out", out, *args)
        assert bad.returncode != 0 and words in bad.stderr, (args, bad.stderr)
        assert not os.path.exists(out), args
    corrupt = os.path.join(tmp, "corrupt.pt")
    with open(ckpt, "rb") as f:
        data = f.read()
    with open(corrupt, "wb") as f:
        f.write(data[: len(data) // 2])
    bad = run("prune", "--checkpoint", corrupt, "--keep", "3")
    assert bad.returncode != 0 and "corrupt.pt" in bad.stderr, bad.stderr
    bad = run("prune", "--checkpoint", ckpt, "--keep", "3", "--out", ckpt)
    assert bad.returncode != 0 and "would overwrite the input checkpoint" in bad.stderr, bad.stderr
print("ok")
