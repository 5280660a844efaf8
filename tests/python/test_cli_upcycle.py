"""moescope-cli upcycle: a dense checkpoint becomes an MoE checkpoint whose experts copy each
block's FFN. With no drop it computes the dense model's function (the same held-out loss),
top-1 keeps the dense model's active size (plus the routers), the result trains on, and
checkpoints that cannot be upcycled are refused with no file written."""
import json
import os
import sys
import tempfile

from support import run_cli, trained_checkpoint, write_config, write_fortunes

cli = sys.argv[1]
D_MODEL, LAYERS, HIDDEN, EXPERTS = 32, 3, 64, 4

with tempfile.TemporaryDirectory() as tmp:
    write_fortunes(os.path.join(tmp, "fortunes"))
    config = os.path.join(tmp, "dense.json")
    write_config(config, os.path.join(tmp, "fortunes"), steps=20)
    with open(config) as f:
        c = json.load(f)
    c["model"].update({"ffn": "dense", "expert_hidden": HIDDEN})
    with open(config, "w") as f:
        json.dump(c, f)
    dense = os.path.join(tmp, "dense.pt")
    trained = run_cli(cli, "train", "--config", config, "--checkpoint", dense)
    assert trained.returncode == 0, trained.stdout + trained.stderr

    def upcycle(name, *args):
        out, report = os.path.join(tmp, name + ".pt"), os.path.join(tmp, name + ".json")
        done = run_cli(cli, "upcycle", "--checkpoint", dense, "--experts", str(EXPERTS), "--out", out,
                       "--report", report, *args)
        assert done.returncode == 0, done.stdout + done.stderr
        with open(report) as f:
            return out, json.load(f), done.stdout

    top1, r1, text = upcycle("top1")
    assert "Sparse Upcycling" in text and "dense" in text, text
    measured = r1["measured"]
    assert r1["dense_checkpoint"]["steps"] == 20 and r1["dense_checkpoint"]["tokens"] == 20 * 4 * 16, r1
    # The same function: the same held-out loss and accuracy, per language too.
    assert abs(measured["upcycled"]["validation_loss"] - measured["dense"]["validation_loss"]) < 1e-4, measured
    assert abs(measured["upcycled"]["accuracy"] - measured["dense"]["accuracy"]) < 1e-6, measured
    for lang, loss in measured["dense"]["loss_by_domain"].items():
        assert abs(measured["upcycled"]["loss_by_domain"][lang] - loss) < 1e-4, (lang, measured)
    ffn = 3 * D_MODEL * HIDDEN
    params, active = r1["parameters"], r1["active_parameters"]
    routers = params["moe"] - params["dense"] - LAYERS * (EXPERTS - 1) * ffn
    assert 0 < routers <= LAYERS * EXPERTS * (D_MODEL + 2), (params, routers)
    assert active["moe"] - active["dense"] == routers, (active, routers)  # top-1: one FFN per token

    top2, r2, _ = upcycle("top2", "--top-k", "2")
    assert r2["active_parameters"]["moe"] == r1["active_parameters"]["moe"] + LAYERS * ffn, r2
    assert abs(r2["measured"]["upcycled"]["validation_loss"] - measured["dense"]["validation_loss"]) < 1e-4, r2

    dropped, r3, text = upcycle("drop", "--drop-ratio", "0.5", "--seed", "3")
    assert all(l["dropped_units_per_expert"] == HIDDEN // 2 for l in r3["layers"]), r3["layers"]
    assert r3["recipe"] == "drop-upcycling" and "Drop-Upcycling" in text, text
    assert r3["measured"]["upcycled"]["validation_loss"] > measured["dense"]["validation_loss"] + 1e-3, r3["measured"]

    # Routers from example texts (one file per language, expert e reads file e mod 2): the
    # function is still the dense model's, and the report says how the router started.
    texts = [os.path.join(tmp, "fortunes", "animals"), os.path.join(tmp, "fortunes", "de", "tiere")]
    _, r4, text = upcycle("hidden", "--router-texts", *texts)
    assert r4["router_init"] == "hidden" and r4["router_texts"] == texts, r4
    assert "0<-animals 1<-tiere 2<-animals 3<-tiere" in text, text
    assert abs(r4["measured"]["upcycled"]["validation_loss"] - measured["dense"]["validation_loss"]) < 1e-4, r4
    # Or from the corpus's own training text, language e mod 2 (en, de) for expert e.
    _, r5, text = upcycle("corpus", "--router-init", "hidden")
    assert r5["router_init"] == "hidden" and r5["router_sources"] == ["en", "de", "en", "de"], r5
    assert "0<-en 1<-de 2<-en 3<-de" in text, text
    assert abs(r5["measured"]["upcycled"]["validation_loss"] - measured["dense"]["validation_loss"]) < 1e-4, r5
    short = os.path.join(tmp, "short.txt")
    with open(short, "w") as f:
        f.write("too short")
    for args, words in [(["--router-texts", short], "short.txt"),
                        (["--router-texts", *(texts * 3)], "at most one per expert"),
                        (["--router-init", "random", "--router-texts", *texts], "give one or the other")]:
        out = os.path.join(tmp, "refused.pt")
        bad = run_cli(cli, "upcycle", "--checkpoint", dense, "--experts", str(EXPERTS), "--out", out, *args)
        assert bad.returncode != 0 and words in bad.stderr, (args, bad.stderr)
        assert not os.path.exists(out), args

    # The upcycled checkpoint trains on from its own (MoE) config.
    resumed = run_cli(cli, "train", "--resume", top2, "--steps", "5")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "4 experts top-2" in resumed.stdout + resumed.stderr, resumed.stdout + resumed.stderr

    # Refused, with no file written.
    os.makedirs(os.path.join(tmp, "moe"))
    moe = trained_checkpoint(cli, os.path.join(tmp, "moe"), steps=4)
    for args, words in [(["--checkpoint", moe, "--experts", "4"], "needs a dense checkpoint"),
                        (["--checkpoint", dense, "--experts", "4", "--top-k", "5"], "top-k 5 of 4"),
                        (["--checkpoint", dense, "--experts", "4", "--drop-ratio", "2"], "drop-ratio"),
                        (["--checkpoint", os.path.join(tmp, "missing.pt"), "--experts", "4"], "missing.pt")]:
        out = os.path.join(tmp, "refused.pt")
        bad = run_cli(cli, "upcycle", *args, "--out", out)
        assert bad.returncode != 0 and words in bad.stderr, (args, bad.stderr)
        assert not os.path.exists(out), args
    bad = run_cli(cli, "upcycle", "--checkpoint", dense, "--experts", "4", "--out", dense)
    assert bad.returncode != 0 and "would overwrite" in bad.stderr, bad.stderr
print("ok")
