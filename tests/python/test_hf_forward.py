"""Hugging Face MoE checkpoints: for a tiny random Mixtral, OLMoE, Qwen2-MoE and Qwen3-MoE made
by transformers, MoE Scope's logits equal transformers' to 1e-4 in float32 on the same token
ids, and its router logits equal output_router_logits; the same holds for the fused expert
layout of transformers 5 and for a sharded folder (model.safetensors.index.json);
transformers' load_balancing_loss_func on one layer is k times MoE Scope's balance loss; bf16
stays close; a folder of another architecture, a missing or misshapen tensor, an extra tensor and
a bad index are clear errors naming the file."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import torch
from safetensors.torch import load_file, save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_tiny  # noqa: E402

cli = sys.argv[1]
torch.set_num_threads(2)


def forward(model_dir, tokens_path, out, *extra):
    done = subprocess.run([cli, "forward", "--model", model_dir, "--tokens", tokens_path, "--out", out, *extra],
                          capture_output=True, text=True, timeout=300)
    return done


def expect_error(model_dir, tokens_path, out, *needles):
    done = forward(model_dir, tokens_path, out)
    assert done.returncode != 0, done.stdout
    for needle in needles:
        assert needle in done.stderr, (needle, done.stderr)
    assert "Traceback" not in done.stderr and "terminate" not in done.stderr, done.stderr
    assert not os.path.exists(out), out


with tempfile.TemporaryDirectory() as tmp:
    for name in hf_tiny.family_configs():
        folder = os.path.join(tmp, name)
        model = hf_tiny.make_model(name, folder)
        ids = hf_tiny.token_batch(model.config.vocab_size)
        tokens = os.path.join(tmp, "tokens.json")
        hf_tiny.write_tokens(tokens, ids)
        with torch.no_grad():
            ref = model(ids, output_router_logits=True)
        ref_router = [r.reshape(-1, r.shape[-1]) for r in ref.router_logits]

        fused = os.path.join(tmp, name + "_fused")
        hf_tiny.write_fused_copy(model, fused)
        sharded = os.path.join(tmp, name + "_sharded")
        model.save_pretrained(sharded, max_shard_size="40KB")
        assert os.path.exists(os.path.join(sharded, "model.safetensors.index.json")), os.listdir(sharded)
        shards = [f for f in os.listdir(sharded) if f.endswith(".safetensors")]
        assert len(shards) >= 3, shards

        for variant, layout in ((folder, "per-expert"), (fused, "fused"), (sharded, "per-expert")):
            out = os.path.join(tmp, "out.safetensors")
            done = forward(variant, tokens, out)
            assert done.returncode == 0, done.stdout + done.stderr
            assert model.config.architectures[0] in done.stdout and layout + " experts" in done.stdout, done.stdout
            got = load_file(out)
            diff = (got["logits"] - ref.logits).abs().max().item()
            assert ref.logits.std().item() > 0.5, ref.logits.std()
            assert diff <= 1e-4, (name, variant, diff)
            assert len(ref_router) == sum(1 for k in got if k.startswith("router_logits.")), (name, list(got))
            for layer, want in enumerate(ref_router):
                rdiff = (got[f"router_logits.{layer}"] - want).abs().max().item()
                assert rdiff <= 1e-4, (name, variant, layer, rdiff)
            # The balance loss: transformers' load_balancing_loss_func on one layer's router
            # logits counts all k slots, so it is k x MoE Scope's (1 = balanced).
            from transformers.models.mixtral.modeling_mixtral import load_balancing_loss_func
            k = model.config.num_experts_per_tok
            experts = ref_router[0].shape[-1]
            hf_balance = load_balancing_loss_func((ref_router[0],), experts, k).item()
            ours = got["balance_loss.0"].item()
            assert abs(hf_balance - k * ours) <= 1e-5 * k, (name, hf_balance, ours, k)
            print(f"{name} {os.path.basename(variant)}: logits max |diff| {diff:.2e}, {len(ref_router)} routers, "
                  f"balance loss {ours:.4f} x k={k} = transformers' {hf_balance:.4f}")
            os.remove(out)

        out = os.path.join(tmp, "bf16.safetensors")
        done = forward(folder, tokens, out, "--dtype", "bf16")
        assert done.returncode == 0, done.stdout + done.stderr
        got = load_file(out)["logits"]
        agree = (got.argmax(-1) == ref.logits.argmax(-1)).double().mean().item()
        assert agree >= 0.9, (name, agree)
        print(f"{name} bf16: top-1 agreement with float32 {agree:.3f}")
        os.remove(out)

    # Bad folders: each a clear error naming the file, nothing written.
    out = os.path.join(tmp, "bad.safetensors")
    good = os.path.join(tmp, "mixtral")
    tokens = os.path.join(tmp, "tokens.json")

    def variant(label, edit_config=None, edit_state=None, files=None):
        d = os.path.join(tmp, "bad_" + label)
        shutil.copytree(good, d)
        if edit_config:
            cfg = json.load(open(os.path.join(d, "config.json")))
            edit_config(cfg)
            json.dump(cfg, open(os.path.join(d, "config.json"), "w"))
        if edit_state:
            state = load_file(os.path.join(d, "model.safetensors"))
            edit_state(state)
            save_file(state, os.path.join(d, "model.safetensors"))
        for fname, text in (files or {}).items():
            with open(os.path.join(d, fname), "w") as f:
                f.write(text)
        return d

    expect_error(variant("arch", lambda c: c.update(architectures=["LlamaForCausalLM"], model_type="llama")), tokens, out,
                 "config.json", "LlamaForCausalLM is not a supported architecture", "MixtralForCausalLM, OlmoeForCausalLM")
    expect_error(variant("rope", lambda c: c.update(rope_parameters={"rope_type": "yarn", "rope_theta": 1e6, "factor": 4.0})),
                 tokens, out, "config.json", "yarn")
    expect_error(variant("type", lambda c: c.update(hidden_size="64")), tokens, out, "config.json", "hidden_size must be an integer")
    expect_error(variant("huge", lambda c: c.update(num_local_experts=4096, intermediate_size=1 << 20)), tokens, out,
                 "config.json", "GiB")
    expect_error(variant("missing", edit_state=lambda s: s.pop("model.layers.1.block_sparse_moe.experts.3.w2.weight")),
                 tokens, out, "tensor model.layers.1.block_sparse_moe.experts.3.w2.weight is missing")
    expect_error(variant("shape", edit_state=lambda s: s.update({"model.norm.weight": torch.ones(65)})),
                 tokens, out, "model.safetensors", "model.norm.weight has shape [65]", "[64]")
    expect_error(variant("extra", edit_state=lambda s: s.update({"model.layers.0.mlp.extra.weight": torch.ones(3)})),
                 tokens, out, "model.safetensors", "model.layers.0.mlp.extra.weight is not part of a MixtralForCausalLM")
    expect_error(variant("index", files={"model.safetensors.index.json": '{"weight_map": {"model.norm.weight": "../x"}}'}),
                 tokens, out, "model.safetensors.index.json", "not a file name inside the folder")
    expect_error(variant("index_json", files={"model.safetensors.index.json": '{"weight_map": '}),
                 tokens, out, "model.safetensors.index.json", "not valid JSON")
    # Older checkpoints store the rotary frequencies: read past them.
    old = variant("inv_freq", edit_state=lambda s: s.update({"model.layers.0.self_attn.rotary_emb.inv_freq": torch.ones(4)}))
    done = forward(old, tokens, out)
    assert done.returncode == 0, done.stderr
    os.remove(out)
    nojson = variant("noconfig")
    os.remove(os.path.join(nojson, "config.json"))
    expect_error(nojson, tokens, out, "config.json", "cannot read")
    with open(os.path.join(tmp, "bad_ids.json"), "w") as f:
        f.write("[[1, 2, 999999]]")
    done = forward(good, os.path.join(tmp, "bad_ids.json"), out)
    assert done.returncode != 0 and "bad_ids.json" in done.stderr and "999999" in done.stderr, done.stderr
    print("bad folders: 11 clear errors")
