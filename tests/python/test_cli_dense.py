"""A dense model (model.ffn = "dense") trains from the CLI, logs what it has and resumes."""
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

from support import write_config, write_fortunes

cli = sys.argv[1]
with tempfile.TemporaryDirectory() as tmp:
    write_fortunes(os.path.join(tmp, "fortunes"))
    config = os.path.join(tmp, "dense.json")
    write_config(config, os.path.join(tmp, "fortunes"), steps=20)
    with open(config) as f:
        c = json.load(f)
    c["model"].update({"ffn": "dense", "expert_hidden": 64})
    with open(config, "w") as f:
        json.dump(c, f)
    log, ckpt = os.path.join(tmp, "dense.h5"), os.path.join(tmp, "dense.pt")
    run = subprocess.run([cli, "train", "--config", config, "--log", log, "--checkpoint", ckpt],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "dense SwiGLU FFN of hidden 64" in run.stdout + run.stderr, run.stdout + run.stderr

    # Plain h5py, as a user's first line would be: the loss and evaluations, no routing tables.
    with h5py.File(log, "r") as f:
        assert f.attrs["layers"] == 0 and f.attrs["experts"] == 0, dict(f.attrs)
        assert f.attrs["router"] == "none"
        assert f.attrs["parameters"] == f.attrs["active_parameters"]
        assert json.loads(f.attrs["config"])["model"]["ffn"] == "dense"
        assert np.array_equal(f["/metrics/step"][:], np.arange(1, 21))
        assert np.isfinite(f["/metrics/loss"][:]).all()
        assert (f["/metrics/aux_loss"][:] == 0).all()
        eval_loss = f["/eval/loss"][:]
        assert len(eval_loss) == 2 and eval_loss[-1] < eval_loss[0], eval_loss
        assert "routing" not in f and "trajectories" not in f, list(f.keys())

    more = subprocess.run([cli, "train", "--config", config, "--resume", ckpt, "--steps", "23"],
                          capture_output=True, text=True, timeout=300)
    assert more.returncode == 0, more.stdout + more.stderr
    assert "finished at step 23" in more.stdout, more.stdout

    # The same checkpoint in an MoE model is refused with a message, not loaded half-way.
    c["model"]["ffn"] = "moe"
    with open(config, "w") as f:
        json.dump(c, f)
    wrong = subprocess.run([cli, "train", "--config", config, "--resume", ckpt, "--steps", "23"],
                           capture_output=True, text=True, timeout=300)
    assert wrong.returncode != 0 and ckpt in wrong.stderr, wrong.stdout + wrong.stderr
print("ok")
