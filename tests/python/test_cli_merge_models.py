"""moescope-cli merge-models: checkpoints of one architecture merged in weight space. Known
answers on the held-out loss: a model averaged with itself is that model, task arithmetic with
lambda 0 is the base; the result trains on; models that do not fit are refused with no file."""
import json
import os
import sys
import tempfile

from support import run_cli, write_config, write_fortunes

cli = sys.argv[1]

with tempfile.TemporaryDirectory() as tmp:
    write_fortunes(os.path.join(tmp, "fortunes"))

    def config(name, **changes):
        path = os.path.join(tmp, name + ".json")
        write_config(path, os.path.join(tmp, "fortunes"), steps=10)
        with open(path) as f:
            c = json.load(f)
        for section, values in changes.items():
            c[section].update(values)
        with open(path, "w") as f:
            json.dump(c, f)
        return path

    def train(name, cfg, *args):
        ckpt = os.path.join(tmp, name + ".pt")
        done = run_cli(cli, "train", "--config", cfg, "--checkpoint", ckpt, *args)
        assert done.returncode == 0, done.stdout + done.stderr
        return ckpt

    base = train("base", config("base"))
    # Two fine-tunes of the base, 10 and 20 steps on: their differences from it differ.
    a = train("a", config("a", train={"steps": 20}), "--resume", base)
    b = train("b", config("b", train={"steps": 30}), "--resume", base)

    def merge(name, *args):
        out, report = os.path.join(tmp, name + ".pt"), os.path.join(tmp, name + ".json")
        done = run_cli(cli, "merge-models", *args, "--out", out, "--report", report)
        assert done.returncode == 0, done.stdout + done.stderr
        with open(report) as f:
            return out, json.load(f), done.stdout

    def loss(entry):
        return entry["validation_loss"]

    _, same, _ = merge("same", "--checkpoints", a, a)
    assert abs(loss(same["measured"]["merged"]) - loss(same["measured"]["inputs"][0])) < 1e-6, same["measured"]

    _, zero, _ = merge("zero", "--checkpoints", a, b, "--base", base, "--method", "task_arithmetic", "--lambda", "0")
    assert abs(loss(zero["measured"]["merged"]) - loss(zero["measured"]["base"])) < 1e-6, zero["measured"]

    _, lin, text = merge("lin", "--checkpoints", a, b)
    inputs = [loss(e) for e in lin["measured"]["inputs"]]
    assert inputs[0] != inputs[1], inputs
    assert "merging 2 models by linear" in text and "merged" in text, text

    ties, r, text = merge("ties", "--checkpoints", a, b, "--base", base, "--method", "ties", "--density", "0.5")
    assert r["method"] == "ties" and r["density"] == 0.5 and "base" in r["measured"], r
    assert set(r["measured"]["merged"]["loss_by_domain"]) == {"en", "de"}, r["measured"]["merged"]

    # Two runs from different seeds, aligned before merging: the loss-barrier curve's ends are
    # the two models before and after alignment (which keeps each model's function).
    s1 = train("s1", config("s1", train={"steps": 30, "seed": 1}))
    s2 = train("s2", config("s2", train={"steps": 30, "seed": 2}))
    _, al, text = merge("aligned", "--checkpoints", s1, s2, "--align", "--barrier")
    (alignment,) = al["alignments"]
    assert alignment["checkpoint"] == s2 and alignment["units_moved"] > 0, alignment
    assert alignment["similarity_after"] > alignment["similarity_before"], alignment
    ends = [loss(e) for e in al["measured"]["inputs"]]
    for curve in ("before_alignment", "after_alignment"):
        c = al["loss_barrier"][curve]
        assert len(c["alpha"]) == 11 and c["alpha"][0] == 0 and c["alpha"][-1] == 1, c
        assert abs(c["validation_loss"][0] - ends[0]) < 1e-6, (curve, c, ends)
        assert abs(c["validation_loss"][-1] - ends[1]) < 1e-4, (curve, c, ends)
    assert "aligned " + s2 in text and "after alignment" in text, text

    resumed = run_cli(cli, "train", "--resume", ties, "--steps", "3")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr

    dense = train("dense", config("dense", model={"ffn": "dense", "expert_hidden": 64}))
    for args, words in [(["--checkpoints", a, dense], "another architecture"),
                        (["--checkpoints", a, b, "--method", "ties"], "--base"),
                        (["--checkpoints", a, b, "--weights", "1"], "--weights"),
                        (["--checkpoints", a], "--checkpoints"),
                        (["--checkpoints", a, os.path.join(tmp, "missing.pt")], "missing.pt")]:
        out = os.path.join(tmp, "refused.pt")
        bad = run_cli(cli, "merge-models", *args, "--out", out)
        assert bad.returncode != 0 and words in bad.stderr, (args, bad.stderr)
        assert not os.path.exists(out), args
    bad = run_cli(cli, "merge-models", "--checkpoints", a, b, "--out", a)
    assert bad.returncode != 0 and "would overwrite" in bad.stderr, bad.stderr
print("ok")
