"""kill -9 at random moments: after `moescope-cli repair`, the log opens with plain
h5py.File(path, "r") and holds every step up to its last flush (at most 1 s lost), and the
checkpoint is the previous one or the new one, whole (`moescope-cli check` verifies its
checksums), never torn. Each run resumes from the checkpoint the previous kill left.

  python test_kill_log.py build/app/moescope-cli [--kills 20] [--seed 1]
"""
import argparse
import os
import pty
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import h5py
import numpy as np

from support import run_cli, write_config, write_fortunes

ap = argparse.ArgumentParser()
ap.add_argument("cli")
ap.add_argument("--kills", type=int, default=20)
ap.add_argument("--seed", type=int, default=1)
args = ap.parse_args()
rng = random.Random(args.seed)
EVERY = 25  # checkpoint every this many steps
STEP = re.compile(rb"step (\d+)/")


class Progress:
    """The CLI's progress line, read from a terminal (so it prints every 0.2 s), with times."""

    def __init__(self, fd):
        self.fd, self.lines, self.text = fd, [], b""
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()

    def read(self):
        while True:
            try:
                chunk = os.read(self.fd, 4096)
            except OSError:
                return
            if not chunk:
                return
            now = time.monotonic()
            self.text += chunk
            for m in STEP.finditer(chunk):
                self.lines.append((now, int(m.group(1))))

    def step_at(self, t):
        """The last step printed at or before time t (0 if none)."""
        return max([s for (when, s) in self.lines if when <= t], default=0)


with tempfile.TemporaryDirectory() as tmp:
    write_fortunes(os.path.join(tmp, "fortunes"), docs=400)
    config = os.path.join(tmp, "run.json")
    write_config(config, os.path.join(tmp, "fortunes"), steps=10_000_000, eval_every=400, snapshot_every=2)
    ckpt = os.path.join(tmp, "run.pt")
    report, refused_before = [], 0
    for kill in range(args.kills):
        log = os.path.join(tmp, f"run{kill}.h5")
        resume = ["--resume", ckpt] if os.path.exists(ckpt) else []
        start = 0
        if resume:
            checked = run_cli(args.cli, "check", ckpt)
            start = int(re.search(r"at step (\d+)", checked.stdout).group(1))
        master, slave = pty.openpty()
        proc = subprocess.Popen([args.cli, "train", "--config", config, "--log", log, "--checkpoint", ckpt,
                                 "--checkpoint-every", str(EVERY), *resume],
                                stdout=slave, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        os.close(slave)
        progress = Progress(master)
        deadline = time.monotonic() + 60
        while not progress.lines and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        assert progress.lines, f"kill {kill}: the run printed no step: {proc.stderr.read().decode()}"
        time.sleep(rng.uniform(0.2, 2.5))
        t_kill = time.monotonic()
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
        progress.thread.join(timeout=5)
        os.close(master)

        # What a user hits first, and what repair changes.
        try:
            h5py.File(log, "r").close()
        except OSError:
            refused_before += 1
        repaired = run_cli(args.cli, "repair", log)
        assert repaired.returncode == 0, repaired.stdout + repaired.stderr
        if shutil.which("h5ls"):  # Debian's hdf5-tools: a reader built on the C library's defaults
            listed = subprocess.run(["h5ls", "-r", log], capture_output=True, text=True)
            assert listed.returncode == 0 and "/metrics/step" in listed.stdout, listed.stdout + listed.stderr
        with h5py.File(log, "r") as f:  # plain open: no swmr=True
            steps = f["metrics/step"][:]
            loss = f["metrics/loss"][:]
        assert np.array_equal(steps, np.arange(start + 1, start + 1 + len(steps))), \
            f"kill {kill}: steps not contiguous from {start + 1}: {steps[:5]}...{steps[-5:]}"
        assert np.isfinite(loss).all()
        logged = int(steps[-1]) if len(steps) else start  # killed before the first flush
        # Every step printed a second before the kill is in the log.
        must_have = progress.step_at(t_kill - 1.0)
        assert logged >= must_have, f"kill {kill}: log ends at step {logged}, step {must_have} was printed 1 s before the kill"
        # Steps per second from the progress lines, to say how much time the lost steps were.
        (t0, s0), (t1, s1) = progress.lines[0], progress.lines[-1]
        rate = (s1 - s0) / (t1 - t0) if t1 > t0 else float("nan")
        at_kill = s1 + rate * (t_kill - t1)
        lost_s = max(0.0, (at_kill - logged) / rate) if rate > 0 else float("nan")

        checked = run_cli(args.cli, "check", ckpt)
        if not os.path.exists(ckpt):
            assert logged < EVERY + start, f"kill {kill}: no checkpoint after step {logged}"
            ck_step = 0
        else:
            assert checked.returncode == 0, f"kill {kill}: checkpoint torn: {checked.stderr}"
            assert "every checksum matches" in checked.stdout, checked.stdout
            ck_step = int(re.search(r"at step (\d+)", checked.stdout).group(1))
            assert ck_step % EVERY == 0, checked.stdout
            newest = (logged // EVERY) * EVERY
            # The previous checkpoint or the new one: at most one behind the log's newest
            # multiple, and ahead of the log by no more than the steps of its last second (the
            # log trails the run by up to a flush, the checkpoint does not).
            assert newest - EVERY <= ck_step <= logged + max(EVERY, rate * 1.0 + 1), \
                f"kill {kill}: checkpoint at step {ck_step}, log at {logged}, run at about {at_kill:.0f}"
        report.append((kill, start, logged, at_kill, lost_s, ck_step))

    print("kill  from  log ends  run at kill  lost (s)  checkpoint")
    for kill, start, logged, at_kill, lost_s, ck_step in report:
        print(f"{kill:4d}  {start:4d}  {logged:8d}  {at_kill:11.0f}  {lost_s:8.2f}  {ck_step:10d}")
    lost = [r[4] for r in report]
    print(f"{len(report)} kills: every log opened with plain h5py after repair ({refused_before} refused before it), "
          f"lost {np.mean(lost):.2f} s on average, {max(lost):.2f} s at most; every checkpoint whole")
    assert refused_before > 0, "no killed log was refused before repair: the test does not show what repair fixes"
