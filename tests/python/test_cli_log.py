"""h5py reads a log written by moescope-cli, while the run goes on and after it ends."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

from support import write_config, write_fortunes

cli = sys.argv[1]
with tempfile.TemporaryDirectory() as tmp:
    write_fortunes(os.path.join(tmp, "fortunes"))
    config = os.path.join(tmp, "run.json")
    write_config(config, os.path.join(tmp, "fortunes"), steps=1000000)
    log = os.path.join(tmp, "run.h5")
    ckpt = os.path.join(tmp, "interrupted.pt")
    run = subprocess.Popen([cli, "train", "--config", config, "--log", log, "--checkpoint", ckpt,
                            "--checkpoint-every", "3"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    # While the CLI is still writing: open in SWMR mode and watch /routing/load grow.
    seen = []
    deadline = time.time() + 120
    while run.poll() is None and time.time() < deadline and len(set(seen)) < 4:
        if os.path.exists(log):
            try:
                with h5py.File(log, "r", libver="latest", swmr=True) as f:
                    seen.append(f["/routing/load"].shape[0])
            except OSError:
                pass  # the file is being created
        time.sleep(0.2)
    live = run.poll() is None
    # Ctrl-C: the CLI stops after the current step, flushes the log and exits 130.
    run.send_signal(signal.SIGINT)
    output = run.communicate(timeout=60)[0]
    assert live, "the run ended before the log could be read live: " + str(seen)
    assert run.returncode == 130, (run.returncode, output)
    # Ctrl-C wrote the checkpoint at the step the run stopped; a resumed run reaches the asked
    # step from there.
    stopped = int(output.split("stopped at step ")[1].split()[0].rstrip(":"))
    assert os.path.exists(ckpt) and f"checkpoint saved to {ckpt} (step {stopped})" in output, output
    more = subprocess.run([cli, "train", "--config", config, "--resume", ckpt, "--steps", str(stopped + 3)],
                          capture_output=True, text=True, timeout=120)
    assert more.returncode == 0, more.stderr
    assert f"resumed from {ckpt} at step {stopped}" in more.stderr, more.stderr
    assert f"finished at step {stopped + 3}" in more.stdout, more.stdout
    assert len(set(seen)) >= 3 and sorted(seen) == seen, f"routing rows did not grow live: {seen}"

    with h5py.File(log, "r") as f:
        assert f.attrs["format_version"] == 2
        config_json = json.loads(f.attrs["config"])
        assert config_json["model"]["experts"] == 4
        steps = f["/metrics/step"][:]
        n = len(steps)
        assert n >= seen[-1] * 2, (n, seen)
        assert np.array_equal(steps, np.arange(1, n + 1)), steps[:10]
        for name in ["loss", "aux_loss", "z_loss", "lr", "grad_norm", "tokens_per_s"]:
            values = f["/metrics/" + name][:]
            assert values.shape == (n,) and np.isfinite(values).all(), name
        load = f["/routing/load"][:]
        assert load.shape == (n // 2, 3, 4), (load.shape, n)
        assert np.allclose(load.sum(axis=2), 1.0, atol=1e-5)
        assert (load >= 0).all()
        importance = f["/routing/importance"][:]
        assert np.allclose(importance.sum(axis=2), 1.0, atol=1e-5)
        entropy = f["/routing/entropy"][:]
        assert entropy.shape == (n // 2, 3) and (entropy > 0).all() and (entropy <= np.log(4) + 1e-5).all()
        assert np.array_equal(f["/routing/step"][:], np.arange(2, n + 1, 2))
        assert np.array_equal(f["/eval/step"][:], np.arange(10, n + 1, 10))
        eval_loss = f["/eval/loss"][:]
        assert eval_loss[-1] < eval_loss[0], eval_loss
        # Router series: histograms are distributions, k = 2 for every token of top-2.
        T = n // 2
        for name, bins in (("gate_hist", 20), ("top1_hist", 20), ("k_hist", 17)):
            h = f["/routing/" + name][:]
            assert h.shape == (T, 3, bins), (name, h.shape)
            assert np.allclose(h.sum(axis=2), 1.0, atol=1e-4), name
        assert np.allclose(f["/routing/k_hist"][:, :, 2], 1.0)
        assert np.allclose(f["/routing/mean_k"][:], 2.0)
        top, bottom = f["/routing/top20_share"][:], f["/routing/bottom20_share"][:]
        assert ((bottom <= top + 1e-6) & (top <= 1.0 + 1e-6)).all()
        sim = f["/routing/similarity"][:]
        assert np.isfinite(sim).all() and (np.abs(sim) <= 1.0 + 1e-5).all()
        P, S = int(f.attrs["probe_tokens"]), int(f.attrs["probe_slots"])
        experts = f["/trajectories/experts"][:]
        assert experts.shape == (T, 3, P, S) and S == 2, experts.shape
        assert ((experts >= 0) & (experts < 4)).all()
        probe = bytes(f["/trajectories/probe_text"][:])
        assert len(probe) == P == 16 and probe.startswith((b"The quick brown fox", b"Der schnelle")), probe
        assert f.attrs["router"] == "top_k" and f.attrs["expert_types"] == "ffn,ffn,ffn,ffn"
        for name in ("step", "layer", "kind", "expert_count", "value", "threshold", "evidence"):
            assert f["/alerts/" + name].shape[0] == f["/alerts/step"].shape[0], name
        assert f["/alerts/expert_ids"].shape == (f["/alerts/expert_count"][:].sum(),)
        # Format 2: experts in use per layer and snapshot, and the shape at the start.
        assert list(f.attrs["layer_experts"]) == [4, 4, 4]
        assert np.array_equal(f["/routing/experts"][:], np.full((T, 3), 4))
        assert np.array_equal(f["/shape/step"][:], [0]) and np.array_equal(f["/shape/experts"][:], [[4, 4, 4]])
        assert f["/events/kind"].shape == (0,)

    # docs/hdf5-log.md's python examples must work as written on this log.
    docs = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "hdf5-log.md")
    text = open(docs).read()
    examples = [block.split("```", 1)[0] for block in text.split("```python\n")[1:]]
    assert len(examples) >= 2, "docs/hdf5-log.md lost its python examples"
    output = ""
    for example in examples:
        result = subprocess.run([sys.executable, "-c", example.replace('"lm.h5"', repr(log))],
                                capture_output=True, text=True)
        assert result.returncode == 0, example + result.stderr
        output += result.stdout
    assert "bits per byte" in output, output
    print("ok: docs/hdf5-log.md's", len(examples), "examples ran")
    print("ok: h5py read", len(seen), "live snapshots and the finished log")
