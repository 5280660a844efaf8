"""The Hugging Face walk of a user, in the window: a tiny Mixtral, OLMoE and Qwen3-MoE made by
transformers open in the window on an English and a German text (every view fills), are pruned
from 8 to 6 experts in the Surgery dock (preview, then apply) and saved as checkpoints
(test_hf_window's transformersModelsOpenPruneAndSave slot, offscreen); moescope-cli export-hf
writes each as a folder, which transformers loads with 6 experts and MoE Scope's logits (1e-4).

  python test_hf_window_walk.py build/app/moescope-cli build/tests/app/test_hf_window [--keep DIR]

--keep copies the window captures (FAMILY-window.png, FAMILY-preview.png) to DIR."""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile

import torch
from safetensors.torch import load_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_tiny  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("cli")
ap.add_argument("window_test")
ap.add_argument("--keep")
args = ap.parse_args()
torch.set_num_threads(2)
FAMILIES = ("mixtral", "olmoe", "qwen3_moe")

with tempfile.TemporaryDirectory() as tmp:
    texts = hf_tiny.fortune_texts(tmp, chars=40000)  # english.txt, german.txt
    for family in FAMILIES:
        hf_tiny.make_model(family, os.path.join(tmp, family))
        hf_tiny.train_tokenizer(texts, os.path.join(tmp, family, "tokenizer.json"))
    env = dict(os.environ, MOESCOPE_HF_WALK=tmp, QT_QPA_PLATFORM="offscreen")
    window = subprocess.run([args.window_test, "transformersModelsOpenPruneAndSave"], env=env,
                            capture_output=True, text=True, timeout=900)
    assert window.returncode == 0 and "PASS   : moescope::HfWindowTest::transformersModelsOpenPruneAndSave" in window.stdout, \
        window.stdout[-4000:] + window.stderr[-4000:]
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        for png in glob.glob(os.path.join(tmp, "*.png")):
            shutil.copy(png, args.keep)

    from transformers import AutoModelForCausalLM
    for family in FAMILIES:
        out = os.path.join(tmp, family + "-hf")
        done = subprocess.run([args.cli, "export-hf", "--checkpoint", os.path.join(tmp, family + "-pruned.pt"),
                               "--out", out], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
        model = AutoModelForCausalLM.from_pretrained(out).eval()
        experts = getattr(model.config, "num_local_experts", None) or model.config.num_experts
        assert experts == 6, (family, experts)
        ids = hf_tiny.token_batch(model.config.vocab_size)
        tokens = os.path.join(tmp, "ids.json")
        hf_tiny.write_tokens(tokens, ids)
        logits = os.path.join(tmp, "logits.safetensors")
        done = subprocess.run([args.cli, "forward", "--model", out, "--tokens", tokens, "--out", logits],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
        with torch.no_grad():
            want = model(ids).logits
        ours = load_file(logits)["logits"]
        diff = (ours - want).abs().max().item()
        assert diff <= 1e-4, (family, diff)
        assert want.std().item() > 0.1, (family, "degenerate logits", want.std().item())
        print(f"{family}: opened in the window, pruned 8 -> 6 in the Surgery dock, exported; transformers "
              f"loads {experts} experts per layer, logits (std {want.std().item():.2f}) equal to MoE Scope's "
              f"to {diff:.1e}")
