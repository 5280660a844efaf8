"""Writes the seed corpus of each libFuzzer harness (scripts/test.sh --fuzz): small valid
files of every kind MoE Scope reads, made here by the libraries that define the formats
(safetensors, tokenizers, transformers), so the fuzzers start from inputs that parse.

    python make_seeds.py OUT_DIR
"""
import gzip
import json
import os
import struct
import sys

import numpy as np


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def safetensors_seeds(out):
    from safetensors.numpy import save
    rng = np.random.default_rng(0)
    write(f"{out}/a.safetensors", save({"w": rng.standard_normal((2, 3)).astype(np.float32),
                                         "b": np.zeros(3, np.float16)},
                                        metadata={"format": "pt"}))
    write(f"{out}/b.safetensors", save({"e": np.ones((1, 0), np.float32)}))


def tokenizer_seeds(out):
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
    text = ["The quick brown fox jumps over the lazy dog.", "Grüße aus Köln, 123 Äpfel!",
            "a man a plan a canal panama"] * 4
    bl = Tokenizer(models.BPE())
    bl.normalizer = normalizers.NFC()
    bl.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bl.decoder = decoders.ByteLevel()
    bl.train_from_iterator(text, trainers.BpeTrainer(vocab_size=300, special_tokens=["<|endoftext|>"],
                                                      initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    write(f"{out}/byte_level.json", bl.to_str())
    sp = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True))
    sp.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    sp.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(),
                                    decoders.Fuse(), decoders.Strip(" ", 1, 0)])
    sp.train_from_iterator(text, trainers.BpeTrainer(vocab_size=120, special_tokens=["<unk>", "<s>", "</s>"]))
    write(f"{out}/byte_fallback.json", sp.to_str())
    write(f"{out}/with_text.json", bl.to_str() + "\0" + "Ünïcödé text, 42 tabs\tand spaces   !")


def idx_seeds(out):
    images = np.arange(3 * 4 * 4, dtype=np.uint8).reshape(3, 4, 4)
    header = struct.pack(">BBBB", 0, 0, 8, 3) + struct.pack(">III", 3, 4, 4)
    write(f"{out}/images.gz", gzip.compress(header + images.tobytes(), mtime=0))
    write(f"{out}/images.raw", header + images.tobytes())
    labels = struct.pack(">BBBB", 0, 0, 8, 1) + struct.pack(">I", 3) + bytes([0, 9, 4])
    write(f"{out}/labels.gz", gzip.compress(labels, mtime=0))


def hf_config_seeds(out):
    import transformers as tf
    small = dict(vocab_size=256, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                 num_attention_heads=4, num_key_value_heads=2, num_experts_per_tok=2)
    configs = {
        "mixtral": tf.MixtralConfig(num_local_experts=4, **small),
        "olmoe": tf.OlmoeConfig(num_experts=4, **small),
        "qwen3_moe": tf.Qwen3MoeConfig(num_experts=4, moe_intermediate_size=32, **small),
        "qwen2_moe": tf.Qwen2MoeConfig(num_experts=4, moe_intermediate_size=32,
                                       shared_expert_intermediate_size=32, **small),
    }
    for name, config in configs.items():
        write(f"{out}/{name}.json", config.to_json_string())


def run_config_seeds(out):
    seeds = {
        "lm": {"preset": "lm-fortunes", "train": {"steps": 10, "batch_size": 4}},
        "vision": {"preset": "vision-fmnist", "model": {"experts": 4, "top_k": 1}, "router": {"kind": "expert_choice"}},
        "fusion": {"preset": "fusion-fmnist"},
        "collapse": {"preset": "collapse-demo", "router": {"temperature": 0.5}},
    }
    for name, config in seeds.items():
        write(f"{out}/{name}.json", json.dumps(config))


def fortunes_seeds(out):
    write(f"{out}/plain", "A fortune.\n%\nAnother one,\n  on two lines.\n%\n")
    write(f"{out}/crlf", "Windows lines\r\n%\r\nsecond\r\n%\r\n\r\n%")


def main():
    out = sys.argv[1]
    for name, make in [("safetensors", safetensors_seeds), ("tokenizer", tokenizer_seeds),
                       ("idx", idx_seeds), ("hf_config", hf_config_seeds),
                       ("run_config", run_config_seeds), ("fortunes", fortunes_seeds)]:
        make(os.path.join(out, name))


if __name__ == "__main__":
    main()
