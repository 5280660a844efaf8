"""moescope-cli prune and quantize: a trained checkpoint loses experts or bits, reports what it
cost, and trains on."""
import functools
import json
import os
import sys
import tempfile

from support import run_cli, trained_checkpoint

cli = sys.argv[1]
run = functools.partial(run_cli, cli)


with tempfile.TemporaryDirectory() as tmp:
    ckpt = trained_checkpoint(cli, tmp)
    pruned, report = (os.path.join(tmp, n) for n in ("pruned.pt", "report.json"))

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

    # A global target: 9 of the 12 experts over the three layers.
    done = run("prune", "--checkpoint", ckpt, "--keep-total", "9", "--calibration-tokens", "512",
               "--report", report)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(report) as f:
        r = json.load(f)
    assert sum(len(layer["kept"]) for layer in r["layers"]) == 9, r["layers"]
    assert all(len(layer["kept"]) >= 2 for layer in r["layers"]), r["layers"]

    # Bad input: a message naming the option or file, a non-zero exit, no output file.
    for args, words in [
        (["--keep", "5"], "cannot keep 5 experts of a layer that has 4"),
        (["--keep", "1"], "top-2 routing needs at least 2"),
        (["--keep", "3", "--method", "random"], "--method: pruning method must be frequency, reap or subset"),
        (["--keep-total", "13"], "cannot keep 13 experts in all: these layers keep between 6 and 12"),
        ([], "give --keep (per layer) or --keep-total (over all layers)"),
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

    # Quantization: int8 costs almost nothing, bits by usage follow the budget.
    quantized, qreport = os.path.join(tmp, "int8.pt"), os.path.join(tmp, "int8.json")
    done = run("quantize", "--checkpoint", ckpt, "--bits", "8", "--calibration-tokens", "512",
               "--out", quantized, "--report", qreport)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(qreport) as f:
        q = json.load(f)
    assert all(layer["bits"] == [8, 8, 8, 8] for layer in q["layers"]), q["layers"]
    assert all(layer["reconstruction_error"] < 1e-3 for layer in q["layers"]), q["layers"]
    before, after = q["measured"]["validation_loss_before"], q["measured"]["validation_loss_after"]
    assert abs(after - before) < 0.01 * before, (before, after)
    more = run("train", "--resume", quantized, "--steps", "22")
    assert more.returncode == 0 and "finished at step 22" in more.stdout, more.stdout + more.stderr
    done = run("quantize", "--checkpoint", ckpt, "--average-bits", "5", "--calibration-tokens", "512",
               "--report", qreport)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(qreport) as f:
        q = json.load(f)
    for layer in q["layers"]:
        assert sorted(layer["bits"]) == [4, 4, 4, 8] and layer["mean_bits"] == 5.0, layer
    for args, words in [(["--bits", "3"], "--bits 3: experts are quantized to 8 or 4 bits"),
                        (["--average-bits", "1"], "--average-bits must be between 2 and 8")]:
        out = os.path.join(tmp, "never.pt")
        bad = run("quantize", "--checkpoint", ckpt, "--out", out, *args)
        assert bad.returncode != 0 and words in bad.stderr, (args, bad.stderr)
        assert not os.path.exists(out), args

    # Dynamic skipping: beta 1 runs each token's top expert alone (half of top-2's expert work).
    skipped, sreport = os.path.join(tmp, "skip.pt"), os.path.join(tmp, "skip.json")
    done = run("skip", "--checkpoint", ckpt, "--beta", "1", "--calibration-tokens", "512",
               "--out", skipped, "--report", sreport)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(sreport) as f:
        k = json.load(f)
    assert all(abs(layer["skipped_share"] - 0.5) < 0.01 for layer in k["layers"]), k["layers"]
    more = run("train", "--resume", skipped, "--steps", "22")
    assert more.returncode == 0 and "finished at step 22" in more.stdout, more.stdout + more.stderr
    bad = run("skip", "--checkpoint", ckpt, "--beta", "2")
    assert bad.returncode != 0, bad.stderr
print("ok")
