"""A full disk while a run writes its log: training goes on to its last step, an alert says
the log stopped at step N, the writer writes nothing after its first failed write, and the
file holds steps 1..N exactly as an undisturbed run of the same config logged them, opened by
plain h5py.File(path, "r").

The disk is made full without privileges by tests/support/full_disk_shim.c (LD_PRELOAD): once
an .h5 file reaches MOESCOPE_FULL_DISK_AT bytes, writes that would grow it fail with ENOSPC. The run log's own room check sees a disk with space, so its writes
really fail (the RLIMIT_FSIZE test in tests/io covers the check that refuses beforehand).

  python test_full_disk.py build/app/moescope-cli build/tests/support/libmoescope_full_disk_shim.so
"""
import os
import re
import subprocess
import sys
import tempfile

import h5py
import numpy as np

from support import run_cli, write_config, write_fortunes

cli, shim = sys.argv[1:3]
STEPS = 600

with tempfile.TemporaryDirectory() as tmp:
    write_fortunes(os.path.join(tmp, "fortunes"), docs=200)
    config = os.path.join(tmp, "run.json")
    write_config(config, os.path.join(tmp, "fortunes"), steps=STEPS, eval_every=40, snapshot_every=2)

    # The undisturbed run: what the log must hold, row for row (CPU training is deterministic).
    ref_log = os.path.join(tmp, "ref.h5")
    ref = run_cli(cli, "train", "--config", config, "--log", ref_log)
    assert ref.returncode == 0, ref.stdout + ref.stderr
    full_size = os.path.getsize(ref_log)

    # The log grows most at its first flush (each dataset's first chunk), then by a few tens
    # of KB a flush: room for 62% of the file stops it after its second flush, 85% later on.
    for share in (0.62, 0.85):
        log = os.path.join(tmp, f"full{share}.h5")
        ckpt = os.path.join(tmp, f"full{share}.pt")
        env = dict(os.environ, LD_PRELOAD=shim, MOESCOPE_FULL_DISK_AT=str(int(full_size * share)),
                   ASAN_OPTIONS="verify_asan_link_order=0:" + os.environ.get("ASAN_OPTIONS", ""))
        run = subprocess.run([cli, "train", "--config", config, "--log", log, "--checkpoint", ckpt],
                             capture_output=True, text=True, env=env, timeout=600)
        out = run.stdout + run.stderr
        assert run.returncode == 0, f"the run did not go on: exit {run.returncode}\n{out}"

        # One alert, naming the file and the step the log stopped at.
        alerts = re.findall(r"alert at step (\d+): log_write_failed: (.*?): the log stopped at step (\d+) \((.*?)\)", out)
        assert len(alerts) == 1, f"expected one log_write_failed alert, got {len(alerts)}:\n{out}"
        at, named, stopped, reason = int(alerts[0][0]), alerts[0][1], int(alerts[0][2]), alerts[0][3]
        assert named == log, named
        assert 0 < stopped < STEPS and at >= stopped, (at, stopped)
        assert "Training goes on" in out, out

        # Training reached its end and wrote its checkpoint.
        checked = run_cli(cli, "check", ckpt)
        assert checked.returncode == 0 and f"at step {STEPS}" in checked.stdout, checked.stdout + checked.stderr

        # Nobody writes the log any more, and every reader opens it as it is.
        assert not os.path.exists(log + ".writer"), "the writer mark outlived the log's stop"
        with h5py.File(log, "r") as f, h5py.File(ref_log, "r") as r:
            steps = f["metrics/step"][:]
            assert np.array_equal(steps, np.arange(1, stopped + 1)), \
                f"the log holds steps {steps[:3]}...{steps[-3:]}, not 1..{stopped}"
            for name in set(r["metrics"]) - {"ms", "tokens_per_s"}:  # all but the clock's
                a, b = f["metrics"][name][:], r["metrics"][name][:stopped]
                assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), f"metrics/{name} differs from the undisturbed run"
            # Routing snapshots up to step N, but the last one may be in the next flush (a step's
            # metrics come before its snapshot; a flush can fall between them).
            rows = int(np.searchsorted(r["routing/step"][:], stopped, side="right"))
            got = f["routing/step"][:]
            assert rows - 1 <= len(got) <= rows and np.array_equal(got, r["routing/step"][:len(got)]), \
                f"routing/step holds {len(got)} rows ({got[-3:]}), the undisturbed run {rows} up to step {stopped}"
            for name in ("load", "importance", "entropy", "gate_hist"):
                assert np.array_equal(f["routing"][name][:], r["routing"][name][:len(got)]), f"routing/{name} differs"
            rows = len(got)
        print(f"disk full at {int(full_size * share)} of {full_size} bytes: the log stopped at step {stopped} "
              f"of {STEPS} (alert at step {at}: {reason}); training reached step {STEPS}; "
              f"{stopped} steps and {rows} routing snapshots read back equal to the undisturbed run's; "
              f"file {os.path.getsize(log)} bytes")
