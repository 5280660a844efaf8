"""Compress and save Hugging Face models: prune 8 -> 6 experts and merge 8 -> 6 (summed router
rows) a tiny Mixtral, OLMoE, Qwen2-MoE and Qwen3-MoE made by transformers; the folder MoE
Scope writes loads in transformers with from_pretrained and gives MoE Scope's logits (1e-4),
its config has 6 experts, the kept experts are the original weights; plans a Hugging Face
config cannot hold are refused with the reason; a model MoE Scope trains with
architecture: mixtral exports with export-hf as a MixtralForCausalLM with a byte-level
tokenizer and equal logits."""
import json
import os
import subprocess
import sys
import tempfile

import torch
from safetensors.torch import load_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_tiny  # noqa: E402

cli = sys.argv[1]
torch.set_num_threads(2)


def run(*args, timeout=600):
    return subprocess.run([cli, *args], capture_output=True, text=True, timeout=timeout)


def same_logits(folder, tmp, label):
    """transformers' logits of the folder equal MoE Scope's (moescope-cli forward)."""
    from transformers import AutoModelForCausalLM
    model = AutoModelForCausalLM.from_pretrained(folder).eval()
    ids = hf_tiny.token_batch(model.config.vocab_size)
    tokens = os.path.join(tmp, "ids.json")
    hf_tiny.write_tokens(tokens, ids)
    out = os.path.join(tmp, "logits.safetensors")
    done = run("forward", "--model", folder, "--tokens", tokens, "--out", out)
    assert done.returncode == 0, done.stdout + done.stderr
    with torch.no_grad():
        want = model(ids).logits
    diff = (load_file(out)["logits"] - want).abs().max().item()
    assert diff <= 1e-4, (label, diff)
    os.remove(out)
    return model, diff


with tempfile.TemporaryDirectory() as tmp:
    texts = hf_tiny.fortune_texts(tmp)
    for family in ("mixtral", "olmoe", "qwen2_moe", "qwen3_moe"):
        folder = os.path.join(tmp, family)
        original = hf_tiny.make_model(family, folder)
        hf_tiny.train_tokenizer(texts, os.path.join(folder, "tokenizer.json"))
        common = ["--model", folder, "--text", *texts, "--calibration-tokens", "1024", "--threads", "2"]

        pruned, report = os.path.join(tmp, family + "_pruned"), os.path.join(tmp, family + "_prune.json")
        done = run("prune", *common, "--keep", "6", "--method", "frequency", "--out", pruned, "--report", report)
        assert done.returncode == 0, done.stdout + done.stderr
        config = json.load(open(os.path.join(pruned, "config.json")))
        assert config.get("num_local_experts", config.get("num_experts")) == 6, config
        assert os.path.exists(os.path.join(pruned, "tokenizer.json"))
        model, diff = same_logits(pruned, tmp, family + " pruned")
        kept = json.load(open(report))["layers"][0]["kept"]
        assert len(kept) == 6, kept
        moe = [layer.mlp for layer in model.model.layers if hasattr(layer.mlp, "experts")][0]
        was = [layer.mlp for layer in original.model.layers if hasattr(layer.mlp, "experts")][0]
        assert torch.equal(moe.experts.down_proj, was.experts.down_proj[kept]), family
        assert torch.equal(moe.gate.weight, was.gate.weight[kept]), family
        print(f"{family} pruned 8 -> 6 (kept {kept} in layer 0): transformers loads it, logits max |diff| {diff:.1e}")

        merged = os.path.join(tmp, family + "_merged")
        done = run("merge", *common, "--experts", "6", "--method", "hc-smoe", "--router", "sum", "--out", merged)
        assert done.returncode == 0, done.stdout + done.stderr
        _, diff = same_logits(merged, tmp, family + " merged")
        print(f"{family} merged 8 -> 6 (summed router rows): logits max |diff| {diff:.1e}")

    # Plans a Hugging Face config cannot hold: refused with the reason, no folder written.
    folder = os.path.join(tmp, "olmoe")
    common = ["--model", folder, "--text", *texts, "--calibration-tokens", "512", "--threads", "2"]
    refusals = [
        (("merge", *common, "--experts", "6", "--router", "keep"), "--router sum"),
        (("prune", *common, "--keep-total", "10", "--method", "frequency"), "one count for all layers"),
        (("skip", *common, "--beta", "0.3"), "skipping"),
    ]
    for args, needle in refusals:
        out = os.path.join(tmp, "refused")
        done = run(*args, "--out", out)
        assert done.returncode == 1 and needle in done.stderr, (args[0], done.stdout[-300:], done.stderr)
        assert not os.path.exists(out) and not os.path.exists(out + ".part"), args[0]
    print(f"refused plans: {len(refusals)} clear errors, nothing written")

    # A model MoE Scope trains with architecture: mixtral exports as a MixtralForCausalLM.
    base = json.loads(run("config", "lm-fortunes").stdout)
    base["model"].update(architecture="mixtral", kv_heads=2, d_model=64, heads=4, layers=2, experts=4, top_k=2,
                         expert_hidden=64, context=64)
    base["train"].update(steps=20, batch_size=8, eval_every=10, eval_batches=2)
    base.update(device="cpu", threads=2)
    cfg = os.path.join(tmp, "mixtral.json")
    json.dump(base, open(cfg, "w"))
    ckpt = os.path.join(tmp, "mixtral.pt")
    done = run("train", "--config", cfg, "--checkpoint", ckpt)
    assert done.returncode == 0, done.stdout + done.stderr
    out = os.path.join(tmp, "exported")
    done = run("export-hf", "--checkpoint", ckpt, "--out", out)
    assert done.returncode == 0, done.stdout + done.stderr
    model, diff = same_logits(out, tmp, "export-hf")
    assert model.config.architectures == ["MixtralForCausalLM"] and model.config.num_local_experts == 4
    from transformers import AutoTokenizer
    tok = AutoTokenizer.from_pretrained(out)
    assert tok("Hé!\n")["input_ids"] == list("Hé!\n".encode()), tok("Hé!\n")
    assert tok.decode(list("Grüße".encode())) == "Grüße"
    # MoE Scope's own loss on the held-out split equals transformers' on the same bytes.
    print(f"export-hf: MixtralForCausalLM loads with equal logits (max |diff| {diff:.1e}), byte tokenizer round-trips")
    done = run("export-hf", "--checkpoint", ckpt, "--out", out)
    assert done.returncode == 1 and "not an empty folder" in done.stderr, done.stderr
    plain = os.path.join(tmp, "plain.pt")
    done = run("train", "--preset", "lm-fortunes", "--steps", "2", "--checkpoint", plain, "--device", "cpu")
    assert done.returncode == 0, done.stderr
    done = run("export-hf", "--checkpoint", plain, "--out", os.path.join(tmp, "plain"))
    assert done.returncode == 1 and "architecture" in done.stderr, done.stderr
    print("export-hf refusals: an existing folder, MoE Scope's own decoder")
