"""moescope-cli surgery-sweep: one method at every budget of a trained checkpoint, each point's
predicted and measured cost in a table and a JSON file; bad input writes no file."""
import functools
import json
import os
import sys
import tempfile

from support import run_cli, trained_checkpoint

cli = sys.argv[1]
run = functools.partial(run_cli, cli)


with tempfile.TemporaryDirectory() as tmp:
    ckpt, out = trained_checkpoint(cli, tmp), os.path.join(tmp, "sweep.json")

    done = run("surgery-sweep", "--checkpoint", ckpt, "--method", "hc-smoe", "--calibration-tokens", "512",
               "--out", out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "sweep of hc-smoe" in done.stdout and "bits/byte" in done.stdout, done.stdout
    with open(out) as f:
        s = json.load(f)
    assert s["kind"] == "merge" and s["method"] == "hc-smoe" and s["x"] == "experts", s
    # 4 experts per layer, top-2: merged to 3, then 2.
    assert [p["x"] for p in s["points"]] == [3, 2], s["points"]
    before = s["before"]["bits_per_byte"]
    for p in s["points"]:
        assert p["measured"]["bits_per_byte"] > 0 and p["predicted"]["reconstruction_error"] >= 0, p
        assert p["parameters"] < s["parameters_before"], p
    # The stronger merge removes more routing.
    assert s["points"][1]["predicted"]["routed_share"] >= s["points"][0]["predicted"]["routed_share"], s
    assert before > 0

    done = run("surgery-sweep", "--checkpoint", ckpt, "--method", "skip", "--calibration-tokens", "512",
               "--out", out)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(out) as f:
        s = json.load(f)
    assert [round(p["x"], 2) for p in s["points"]] == [round(0.1 * i, 2) for i in range(11)], s["points"]
    assert s["points"][0]["predicted"]["routed_share"] == 0, s["points"][0]

    # Bad input: a missing checkpoint, an unknown method; no file is written.
    bad = os.path.join(tmp, "bad.json")
    failed = run("surgery-sweep", "--checkpoint", os.path.join(tmp, "none.pt"), "--method", "reap", "--out", bad)
    assert failed.returncode != 0 and "none.pt" in failed.stderr, failed.stderr
    failed = run("surgery-sweep", "--checkpoint", ckpt, "--method", "magic", "--out", bad)
    assert failed.returncode != 0 and "magic" in failed.stderr, failed.stderr
    failed = run("surgery-sweep", "--checkpoint", ckpt, "--method", "reap", "--out", ckpt)
    assert failed.returncode != 0 and "overwrite" in failed.stderr, failed.stderr
    assert not os.path.exists(bad)
print("ok")
