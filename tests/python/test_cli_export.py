"""moescope-cli export writes a log's tables as CSV that Python's csv module reads back equal to
the log's datasets (h5py): the loss series, the expert load at every snapshot and at one step,
the per-layer series; bad tables and steps are errors that leave no file."""
import csv
import math
import os
import sys
import tempfile

import h5py
import numpy as np

from support import run_cli, write_config, write_fortunes

cli = sys.argv[1]


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def same(text, value):
    """The CSV's text equals the log's value: float32 datasets read back at float32 (nine
    significant digits round-trip exactly), float64 ones at float64."""
    a = np.asarray(value).dtype.type(float(text)) if isinstance(value, np.generic) else float(text)
    return (math.isnan(a) and math.isnan(value)) or a == value


with tempfile.TemporaryDirectory() as tmp:
    write_fortunes(os.path.join(tmp, "fortunes"))
    config = os.path.join(tmp, "run.json")
    write_config(config, os.path.join(tmp, "fortunes"), steps=30, snapshot_every=5, eval_every=10)
    log = os.path.join(tmp, "run.h5")
    trained = run_cli(cli, "train", "--config", config, "--log", log)
    assert trained.returncode == 0, trained.stderr

    def export(what, *extra):
        out = os.path.join(tmp, what + "".join(extra) + ".csv")
        done = run_cli(cli, "export", "--log", log, "--what", what, "--out", out, *extra)
        assert done.returncode == 0, done.stderr
        return read(out)

    with h5py.File(log, "r") as f:
        loss = f["metrics/loss"][:]
        steps = f["metrics/step"][:] if "metrics/step" in f else np.arange(1, len(loss) + 1)
        load = f["routing/load"][:]
        entropy = f["routing/entropy"][:]
        routing_steps = f["routing/step"][:]
        eval_loss = f["eval/loss"][:]

    rows = export("loss")
    assert len(rows) == len(loss), (len(rows), len(loss))
    for row, step, value in zip(rows, steps, loss):
        assert int(row["step"]) == int(step) and same(row["loss"], value), (row, step, value)

    rows = export("load")
    T, L, E = load.shape
    assert len(rows) == T * L * E, (len(rows), load.shape)
    for row in rows:
        t = list(routing_steps).index(int(row["step"]))
        assert same(row["load"], load[t, int(row["layer"]), int(row["expert"])]), row

    at = int(routing_steps[-1])
    rows = export("load", "--step", str(at))
    assert len(rows) == L * E and {int(r["step"]) for r in rows} == {at}, rows[:3]

    rows = export("layers")
    assert len(rows) == T * L
    for row in rows:
        t = list(routing_steps).index(int(row["step"]))
        assert same(row["entropy"], entropy[t, int(row["layer"])]), row

    rows = [r for r in export("eval") if r["domain"] == ""]
    assert len(rows) == len(eval_loss) and all(same(r["loss"], v) for r, v in zip(rows, eval_loss))

    # pandas is not needed for the test, but its reader is what users use: numpy reads it too.
    table = np.genfromtxt(os.path.join(tmp, "load.csv"), delimiter=",", names=True)
    assert table.shape == (T * L * E,) and np.allclose(table["load"].reshape(T, L, E), load, equal_nan=True)

    bad = run_cli(cli, "export", "--log", log, "--what", "nothing", "--out", os.path.join(tmp, "x.csv"))
    assert bad.returncode != 0 and "load" in bad.stderr and not os.path.exists(os.path.join(tmp, "x.csv")), bad.stderr
    bad = run_cli(cli, "export", "--log", log, "--what", "load", "--step", "3", "--out", os.path.join(tmp, "y.csv"))
    assert bad.returncode != 0 and "step 3" in bad.stderr and not os.path.exists(os.path.join(tmp, "y.csv")), bad.stderr
    bad = run_cli(cli, "export", "--log", log, "--what", "loss", "--out", os.path.join(tmp, "no", "dir", "z.csv"))
    assert bad.returncode != 0 and "cannot write" in bad.stderr, bad.stderr
print("ok")
