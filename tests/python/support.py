"""Small hand-made data for the Python-side tests."""
import json
import os


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
