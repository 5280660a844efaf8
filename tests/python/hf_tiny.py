"""Tiny random models of the four Hugging Face MoE families, made by transformers itself (no
download): shared by the tests of MoE Scope's Hugging Face support."""
import json
import os

import torch
from safetensors.torch import save_file


def family_configs():
    """name -> (config, model class): one config per family, each with the features that
    family adds (grouped-query attention everywhere; Qwen2-MoE's shared expert, q/k/v biases
    and a dense layer; Qwen3-MoE's per-head QK-norm and renormalised top-k; OLMoE's QK-norm
    over the projection and its clip_qkv, small enough to clamp)."""
    from transformers import (MixtralConfig, MixtralForCausalLM, OlmoeConfig, OlmoeForCausalLM,
                              Qwen2MoeConfig, Qwen2MoeForCausalLM, Qwen3MoeConfig, Qwen3MoeForCausalLM)
    common = dict(vocab_size=320, hidden_size=64, intermediate_size=96, num_hidden_layers=3,
                  num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                  bos_token_id=1, eos_token_id=2, pad_token_id=0)
    return {
        "mixtral": (MixtralConfig(num_local_experts=8, num_experts_per_tok=2, rope_theta=1e6, **common),
                    MixtralForCausalLM),
        "olmoe": (OlmoeConfig(num_experts=8, num_experts_per_tok=2, clip_qkv=0.5, **common), OlmoeForCausalLM),
        "qwen2_moe": (Qwen2MoeConfig(num_experts=8, num_experts_per_tok=2, moe_intermediate_size=32,
                                     shared_expert_intermediate_size=48, mlp_only_layers=[1], **common),
                      Qwen2MoeForCausalLM),
        "qwen3_moe": (Qwen3MoeConfig(num_experts=8, num_experts_per_tok=2, moe_intermediate_size=32, head_dim=24,
                                     norm_topk_prob=True, **common), Qwen3MoeForCausalLM),
    }


def make_model(name, out_dir, seed=0):
    """Saves a random model of family `name` with save_pretrained (one tensor per expert);
    returns the model, in eval mode."""
    config, cls = family_configs()[name]
    torch.manual_seed(seed)
    model = cls(config).eval()
    with torch.no_grad():  # transformers initialises norms to 1 and some weights to 0: vary them
        for pname, p in model.named_parameters():
            if pname.endswith("norm.weight") or pname.endswith("layernorm.weight"):
                p.copy_(1.0 + 0.1 * torch.randn_like(p))
            elif pname.endswith(".bias") or "gate.weight" in pname:
                p.copy_(0.2 * torch.randn_like(p))
            elif pname == "lm_head.weight":  # logits of order 1, so 1e-4 is a real bound
                p.mul_(25.0)
    model.save_pretrained(out_dir)
    return model


def write_fused_copy(model, out_dir):
    """The same model with the experts fused as transformers 5 holds them in memory
    (mlp.experts.gate_up_proj [E, 2I, H], mlp.experts.down_proj [E, H, I]), in one file."""
    os.makedirs(out_dir, exist_ok=True)
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    assert any(k.endswith("experts.gate_up_proj") for k in state), sorted(state)[:8]
    if model.config.tie_word_embeddings:
        state.pop("lm_head.weight", None)
    save_file(state, os.path.join(out_dir, "model.safetensors"), metadata={"format": "pt"})
    model.config.to_json_file(os.path.join(out_dir, "config.json"))


def token_batch(vocab, batch=2, length=24, seed=1):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(3, vocab, (batch, length), generator=g)


def write_tokens(path, ids):
    with open(path, "w") as f:
        json.dump(ids.tolist(), f)


def train_tokenizer(texts, path, vocab=320):
    """A byte-level BPE tokenizer of at most `vocab` ids trained on the text files, saved."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train(texts, trainers.BpeTrainer(vocab_size=vocab, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    assert tok.get_vocab_size() <= vocab
    tok.save(path)
    return tok


def fortune_texts(tmp, chars=20000):
    """Two domains from the fortunes packages: an English and a German file, cut to `chars`."""
    import glob
    root = os.environ.get("MOESCOPE_FORTUNES", "/usr/share/games/fortunes")
    out = []
    for name, pattern in (("english", "*"), ("german", "de/*")):
        src = next(p for p in sorted(glob.glob(os.path.join(root, pattern)))
                   if os.path.isfile(p) and not os.path.islink(p) and not p.endswith((".dat", ".u8")))
        path = os.path.join(tmp, name + ".txt")
        with open(src, encoding="utf-8", errors="replace") as f, open(path, "w") as o:
            o.write(f.read()[:chars])
        out.append(path)
    return out
