"""moescope-cli btx: Branch-Train-MiX from a dense seed. Branches that did not train mix into
an MoE that computes the seed's function (the same held-out loss); branches that trained each
learn their own language; every token of the recipe is counted; the mixture's training log
holds the language x expert statistics; seeds and options that do not fit are refused with no
file written."""
import glob
import json
import os
import sys
import tempfile

import h5py
import numpy as np

from support import run_cli, write_config, write_fortunes

cli = sys.argv[1]
BATCH, CONTEXT, SEED_STEPS = 4, 16, 20

with tempfile.TemporaryDirectory() as tmp:
    write_fortunes(os.path.join(tmp, "fortunes"))
    config = os.path.join(tmp, "dense.json")
    write_config(config, os.path.join(tmp, "fortunes"), steps=SEED_STEPS)
    with open(config) as f:
        c = json.load(f)
    c["model"].update({"ffn": "dense", "expert_hidden": 64})
    with open(config, "w") as f:
        json.dump(c, f)
    seed = os.path.join(tmp, "seed.pt")
    trained = run_cli(cli, "train", "--config", config, "--checkpoint", seed)
    assert trained.returncode == 0, trained.stdout + trained.stderr

    def btx(name, *args):
        out, report = os.path.join(tmp, name + ".pt"), os.path.join(tmp, name + ".json")
        done = run_cli(cli, "btx", "--seed", seed, "--out", out, "--report", report, *args)
        assert done.returncode == 0, done.stdout + done.stderr
        with open(report) as f:
            return out, json.load(f), done.stdout

    # Untrained branches are the seed: the mixture computes its function, top-1 and top-2.
    for top_k in ("1", "2"):
        kept = os.path.join(tmp, "kept" + top_k)
        _, r, text = btx("same" + top_k, "--branch-steps", "0", "--mix-steps", "0", "--top-k", top_k,
                         "--branches-dir", kept)
        assert "mixed.pt" in os.listdir(kept), os.listdir(kept)  # kept, and copied to --out
        m = r["measured"]
        assert r["experts"] == 2 and r["top_k"] == int(top_k) and r["router_init"] == "hidden", r
        assert abs(m["mixed"]["validation_loss"] - m["seed"]["validation_loss"]) < 1e-4, m
        for lang, loss in m["seed"]["loss_by_domain"].items():
            assert abs(m["mixed"]["loss_by_domain"][lang] - loss) < 1e-4, (lang, m)
        assert r["tokens"]["total"] == SEED_STEPS * BATCH * CONTEXT, r["tokens"]
        assert "branch en (1/2)" in text and "branch de (2/2)" in text, text

    # Trained branches: each on its own language only; the mixture then trains on both.
    branches_dir, log = os.path.join(tmp, "branches"), os.path.join(tmp, "mix.h5")
    out, r, text = btx("btx", "--branch-steps", "30", "--mix-steps", "6", "--branches-dir", branches_dir,
                       "--log", log)
    per_step = BATCH * CONTEXT
    assert [b["language"] for b in r["branches"]] == ["en", "de"], r["branches"]
    assert all(b["tokens"] == 30 * per_step for b in r["branches"]), r["branches"]
    assert r["tokens"] == {"seed": SEED_STEPS * per_step, "branches": 60 * per_step, "after_mix": 6 * per_step,
                           "total": (SEED_STEPS + 66) * per_step}, r["tokens"]
    en, de = (b["measured"]["loss_by_domain"] for b in r["branches"])
    assert en["en"] < de["en"] and de["de"] < en["de"], (en, de)  # each branch knows its own language best
    assert sorted(os.listdir(branches_dir)) == ["branch_de.pt", "branch_en.pt", "mixed.pt"], os.listdir(branches_dir)
    assert r["active_parameters"]["moe"] > r["active_parameters"]["dense"], r  # top-2 of full FFNs
    with h5py.File(log, "r", swmr=True) as f:  # the language x expert table of the mixture's training
        assert f.attrs["domains"].split(",") == ["en", "de"], f.attrs["domains"]
        table = f["routing/domain_load"][-1]  # [L, D, E]
        assert table.shape[1:] == (2, 2), table.shape
        assert np.allclose(table.sum(axis=-1), 1.0, atol=1e-3), table  # each language's assignments
    resumed = run_cli(cli, "train", "--resume", out, "--steps", "8")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "2 experts top-2" in resumed.stdout + resumed.stderr, resumed.stdout + resumed.stderr

    # Refused before anything trains, with no output and no working folder left behind.
    moe_seed = os.path.join(tmp, "moe.pt")
    c["model"].update({"ffn": "moe"})
    with open(config, "w") as f:
        json.dump(c, f)
    assert run_cli(cli, "train", "--config", config, "--steps", "2", "--checkpoint", moe_seed).returncode == 0
    refused = os.path.join(tmp, "refused.pt")
    for args, words in [(["--seed", moe_seed], "needs a dense checkpoint"),
                        (["--seed", seed, "--languages", "en", "fr"], "'fr' is not a language of the corpus (en, de)"),
                        (["--seed", seed, "--top-k", "3"], "top-k 3 of 2 experts"),
                        (["--seed", seed, "--out", seed], "would overwrite")]:
        argv = ["btx", *args] + ([] if "--out" in args else ["--out", refused])
        bad = run_cli(cli, *argv)
        assert bad.returncode != 0 and words in bad.stderr, (args, bad.stderr)
        assert not os.path.exists(refused), args
    assert not glob.glob(os.path.join(tmp, ".*btx-*")), os.listdir(tmp)
