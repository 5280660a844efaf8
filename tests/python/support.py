"""Small hand-made data and a trained checkpoint for the Python-side tests."""
import json
import os
import subprocess


def write_fortunes(root, docs=60):
    os.makedirs(os.path.join(root, "de"), exist_ok=True)
    with open(os.path.join(root, "animals"), "w") as f:
        f.write("".join(f"The quick brown fox {i} jumps over the lazy dog.\n%\n" for i in range(docs)))
    with open(os.path.join(root, "de", "tiere"), "w") as f:
        f.write("".join(f"Der schnelle braune Fuchs {i} springt.\n%\n" for i in range(docs)))


def write_config(path, fortunes_dir, **train):
    config = {
        "preset": "lm-fortunes",
        "threads": 1,
        "device": "cpu",
        "model": {"d_model": 32, "heads": 2, "layers": 3, "context": 16, "experts": 4,
                  "top_k": 2, "expert_hidden": 32},
        "train": {"batch_size": 4, "steps": 40, "warmup_steps": 2, "eval_every": 10,
                  "eval_batches": 2, "snapshot_every": 2, **train},
        "data": {"fortunes_dir": fortunes_dir, "validation_share": 0.1},
    }
    with open(path, "w") as f:
        json.dump(config, f)


def run_cli(cli, *args, timeout=300):
    return subprocess.run([cli, *args], capture_output=True, text=True, timeout=timeout)


def trained_checkpoint(cli, tmp, steps=20):
    """Trains the small model of write_config for `steps` steps; returns the checkpoint's path."""
    write_fortunes(os.path.join(tmp, "fortunes"))
    config = os.path.join(tmp, "run.json")
    write_config(config, os.path.join(tmp, "fortunes"), steps=steps, snapshot_every=5)
    ckpt = os.path.join(tmp, "run.pt")
    trained = run_cli(cli, "train", "--config", config, "--checkpoint", ckpt)
    assert trained.returncode == 0, trained.stdout + trained.stderr
    return ckpt
