"""The memory estimate `moescope-cli train` prints against the peak resident memory the same
run measures (getrusage of the child): within +-30% for runs dominated by the runtime, by
the weights and optimizer, and by the activations; and a config that cannot fit is refused
at once, with the estimate, the memory available and what to do, and nothing written.

  python test_memory_estimate.py build/app/moescope-cli
"""
import json
import os
import re
import resource
import subprocess
import sys
import tempfile

from support import write_fortunes

cli = sys.argv[1]
if os.environ.get("MOESCOPE_SANITIZED"):
    # ASan's shadow memory and quarantine are part of the resident set: nothing to compare.
    print("skipped: a sanitizer build's peak RSS is not the program's")
    sys.exit(77)
UNITS = {"MiB": 2**20, "GiB": 2**30}


def peak_run(args):
    """Runs the CLI in a child of a fresh python; returns (stderr, its peak RSS in bytes)."""
    wrapper = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
               "sys.stderr.write(p.stderr); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
               "sys.exit(p.returncode)")
    done = subprocess.run([sys.executable, "-c", wrapper, cli, *args], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stderr, int(done.stdout.split()[-1]) * 1024


def estimate_of(stderr):
    m = re.search(r"memory estimate: ([\d.]+) (MiB|GiB) \(", stderr)
    assert m, stderr[-2000:]
    return float(m.group(1)) * UNITS[m.group(2)]


with tempfile.TemporaryDirectory() as tmp:
    fortunes = os.path.join(tmp, "fortunes")
    write_fortunes(fortunes, docs=3000)

    def lm(name, model, batch, context):
        path = os.path.join(tmp, name + ".json")
        with open(path, "w") as f:
            json.dump({"preset": "lm-fortunes", "threads": 2, "device": "cpu",
                       "model": {**model, "context": context},
                       "train": {"batch_size": batch, "steps": 3, "warmup_steps": 1, "eval_every": 1000,
                                 "eval_batches": 1, "snapshot_every": 1000},
                       "data": {"fortunes_dir": fortunes, "validation_share": 0.1}}, f)
        return path

    runs = {
        "runtime (tiny lm)": lm("tiny", {"d_model": 32, "heads": 2, "layers": 2, "experts": 4, "top_k": 2,
                                          "expert_hidden": 32}, 4, 32),
        "weights (100 M parameters)": lm("weights", {"d_model": 256, "heads": 4, "layers": 4, "experts": 32,
                                                      "top_k": 2, "expert_hidden": 1024}, 4, 32),
        "activations (16 k tokens a step)": lm("activations", {"d_model": 128, "heads": 4, "layers": 4,
                                                               "experts": 8, "top_k": 2, "expert_hidden": 512},
                                               64, 256),
        # Held out: the estimate's coefficients were fitted on the three runs above.
        "held out: lm d=256, 16 experts top-1": lm("heldout", {"d_model": 256, "heads": 8, "layers": 3,
                                                              "experts": 16, "top_k": 1, "expert_hidden": 384},
                                                   32, 128),
        "held out: mixtral decoder, 4 kv heads": lm("mixtral", {"architecture": "mixtral", "d_model": 192,
                                                                "heads": 8, "kv_heads": 4, "layers": 4,
                                                                "experts": 8, "top_k": 2, "expert_hidden": 768,
                                                                "vocab": 256}, 24, 192),
    }
    print(f"{'run':36s} {'estimate':>10s} {'peak RSS':>10s} {'ratio':>6s}")
    failures = []
    for name, config in runs.items():
        stderr, peak = peak_run(["train", "--config", config])
        estimate = estimate_of(stderr)
        ratio = peak / estimate
        print(f"{name:36s} {estimate / 2**30:9.2f}G {peak / 2**30:9.2f}G {ratio:6.2f}")
        if not 0.7 <= ratio <= 1.3:
            failures.append(f"{name}: estimate {estimate / 2**20:.0f} MiB, peak RSS {peak / 2**20:.0f} MiB")
    assert not failures, failures

    # 64 experts of hidden 60 000: 5.9 G parameters, about 100 GiB to train.
    hostile = lm("hostile", {"experts": 64, "expert_hidden": 60000}, 32, 128)
    log = os.path.join(tmp, "hostile.h5")
    refused = subprocess.run([cli, "train", "--config", hostile, "--log", log], capture_output=True, text=True,
                             timeout=60)
    assert refused.returncode == 1, refused.stderr
    for words in ("needs about", "GiB", "available", "--ignore-memory-estimate"):
        assert words in refused.stderr, refused.stderr
    assert not os.path.exists(log), "a refused run wrote its log"
    print("refused:", refused.stderr.strip().splitlines()[-1][:300])
