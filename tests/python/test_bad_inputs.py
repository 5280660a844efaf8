"""Bad input of every file type MoE Scope reads, made here: truncated, bit-flipped, wrong
types, huge dimensions, empty and random files. Every case must end in a clear error naming
the file (exit status 1, no crash, no hang, no output written), or, for a flip in bytes no
format checks (raw HDF5 or safetensors data, padding), in the same result as the intact file.

  python test_bad_inputs.py build/app/moescope-cli [--seed 7]

Prints the cases tried per file type; docs/reliability.md records the figures."""
import argparse
import collections
import concurrent.futures
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np

from support import run_cli, trained_checkpoint, write_config, write_fortunes

ap = argparse.ArgumentParser()
ap.add_argument("cli")
ap.add_argument("--seed", type=int, default=7)
args = ap.parse_args()
rng = random.Random(args.seed)
tried = collections.Counter()
outcomes = collections.Counter()
ANY = object()  # a case whose data the format does not check: any exit 0 result will do
CRASH_WORDS = ("terminate called", "Segmentation", "Aborted", "core dumped", "Traceback", "AddressSanitizer")


pool = concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2)
pending = []
counter = iter(range(10**9))


def fresh(root, name):
    """A path of its own for one case: ROOT/case-N/NAME (cases run two at a time)."""
    d = os.path.join(root, f"case-{next(counter)}")
    os.makedirs(d)
    return os.path.join(d, name)


def run(kind, cli_args, path, outputs=(), same_as=None, timeout=120):
    """One case: moescope-cli with cli_args on the bad file at `path`, run in the pool."""
    tried[kind] += 1
    pending.append(pool.submit(run_case, kind, list(cli_args), path, tuple(outputs), same_as, timeout))


def run_case(kind, cli_args, path, outputs, same_as, timeout):
    try:
        done = subprocess.run([args.cli, *cli_args], capture_output=True, text=True, timeout=timeout,
                              errors="replace")
    except subprocess.TimeoutExpired:
        raise AssertionError(f"{kind}: {path}: hung (no answer in {timeout} s)")
    message = done.stdout + done.stderr
    assert done.returncode in (0, 1), f"{kind}: {path}: exit status {done.returncode} (a crash?)\n{message[-3000:]}"
    assert not any(w in message for w in CRASH_WORDS), f"{kind}: {path}:\n{message[-3000:]}"
    if done.returncode == 0:
        # Only a flip the format does not check may pass, and only with the intact result.
        assert same_as is not None, f"{kind}: {path}: accepted\n{message[-2000:]}"
        assert same_as is ANY or done.stdout == same_as, f"{kind}: {path}: accepted with another result\n{done.stdout[-1000:]}"
        outcomes[kind + " (same result)"] += 1
        return
    name = os.path.basename(path.rstrip("/"))
    assert name in done.stderr, f"{kind}: the message does not name {name}:\n{done.stderr[-2000:]}"
    for o in outputs:
        assert not os.path.exists(o), f"{kind}: {path}: {o} written despite the error"
    outcomes[kind + " (refused)"] += 1


def truncations(data, n):
    cuts = sorted({0, 1, len(data) // 2, len(data) - 1} | {rng.randrange(len(data)) for _ in range(n)})
    return [data[:c] for c in cuts if c < len(data)][:n]


def flips(data, n, start=0, end=None):
    end = len(data) if end is None else end
    out = []
    for _ in range(n):
        b = bytearray(data)
        at = rng.randrange(start, end)
        for i in range(at, min(at + 4, len(b))):
            b[i] ^= 0xFF
        out.append(bytes(b))
    return out


def randoms(n):
    return [b""] + [bytes(rng.randrange(256) for _ in range(rng.choice([1, 7, 64, 1000, 5000]))) for _ in range(n - 1)]


def write(path, data):
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return path


with tempfile.TemporaryDirectory() as tmp:
    fortunes = os.path.join(tmp, "fortunes")
    write_fortunes(fortunes)
    good_config = os.path.join(tmp, "good.json")
    write_config(good_config, fortunes, steps=4)

    def train_case(kind, config_text, named=None):
        bad = write(fresh(tmp, "bad-config.json"), config_text)
        log = os.path.join(os.path.dirname(bad), "would-be.h5")
        run(kind, ["train", "--config", bad, "--log", log], named or bad, [log])

    # --- JSON run configs (train --config) ---
    config_bytes = open(good_config, "rb").read()
    base = json.loads(config_bytes)
    for data in truncations(config_bytes, 12) + randoms(6):
        train_case("config", data)
    for text in ["[]", "1", '"lm-fortunes"', "null", "[" * 100000 + "]" * 100000, '{"preset": "lm-fortunes",}',
                 '{"preset": "lm-fortunes", "model": {"d_model": NaN}}', "\ufeff{}",
                 '{"preset": "lm-fortunes", "model": {"experts": 1e400}}', '{"preset": "lm-fortunes", "oops": 1}']:
        train_case("config", text)
    for section, key in [("model", "d_model"), ("model", "experts"), ("model", "layers"), ("model", "top_k"),
                         ("model", "expert_hidden"), ("model", "heads"), ("train", "batch_size"), ("train", "lr"),
                         ("train", "steps"), ("router", "capacity_factor"), ("data", "fortunes_dir")]:
        for value in ["eight", [1], {"a": 1}, None, -1, 10**18]:
            c = json.loads(json.dumps(base))
            c.setdefault(section, {})[key] = value
            named = None
            if key == "fortunes_dir" and isinstance(value, str):  # a folder that is not there: named
                c["data"]["fortunes_dir"] = named = os.path.join(tmp, "absent-" + value)
            train_case("config", json.dumps(c), named)
    huge = json.loads(json.dumps(base))
    huge["model"].update(d_model=128, experts=64, expert_hidden=60000)  # 4.4 G parameters: refused
    train_case("config", json.dumps(huge))

    # --- checkpoints (check) ---
    ckpt = trained_checkpoint(args.cli, tmp, steps=4)
    intact = run_cli(args.cli, "check", ckpt).stdout
    ck_bytes = open(ckpt, "rb").read()
    for data in truncations(ck_bytes, 10) + randoms(4) + flips(ck_bytes, 25):
        bad_ck = write(fresh(tmp, "bad.pt"), data)
        run("checkpoint", ["check", bad_ck], bad_ck, same_as=intact.replace(ckpt, bad_ck))
    # The archive's TorchScript code damaged (the zip's CRCs are not checked): its parser's
    # error must still name the file (found by the ASan run: it did not).
    code = ck_bytes.find(b"amsgrad : bool")
    assert code > 0, "no optimizer code in the checkpoint"
    bad_ck = write(fresh(tmp, "bad.pt"), ck_bytes[:code + 12] + b"\xff\xfe\xfd\xfc" + ck_bytes[code + 16:])
    run("checkpoint", ["check", bad_ck], bad_ck)
    shutil.make_archive(os.path.join(tmp, "notackpt"), "zip", fortunes)
    run("checkpoint", ["check", os.path.join(tmp, "notackpt.zip")], os.path.join(tmp, "notackpt.zip"))

    # --- HDF5 run logs (export) ---
    good_log = os.path.join(tmp, "good.h5")
    made = run_cli(args.cli, "train", "--config", good_config, "--log", good_log)
    assert made.returncode == 0, made.stderr
    intact_csv = run_cli(args.cli, "export", "--log", good_log, "--what", "loss", "--out", os.path.join(tmp, "m.csv"))
    assert intact_csv.returncode == 0, intact_csv.stderr
    log_bytes = open(good_log, "rb").read()

    def export_case(bad_log, what="loss", raw_flip=False):
        csv = os.path.join(os.path.dirname(bad_log), what + ".csv")
        # HDF5 checks no raw data: a flip there changes values and is read (whole rows).
        run("HDF5 log", ["export", "--log", bad_log, "--what", what, "--out", csv], bad_log, [csv],
            same_as=ANY if raw_flip else None)

    for data in truncations(log_bytes, 10) + randoms(4):
        export_case(write(fresh(tmp, "bad.h5"), data))
    for data in flips(log_bytes, 20):
        export_case(write(fresh(tmp, "bad.h5"), data), raw_flip=True)

    def h5_case(edit):  # wrong types, shapes and sizes, written with h5py
        bad_log = fresh(tmp, "bad.h5")
        shutil.copy(good_log, bad_log)
        with h5py.File(bad_log, "r+") as f:
            edit(f)
        export_case(bad_log, "loss")
        export_case(bad_log, "load")

    def replace(f, name, data):
        del f[name]
        f.create_dataset(name, data=data)

    h5_case(lambda f: f.attrs.__delitem__("format_version"))
    h5_case(lambda f: f.attrs.__setitem__("format_version", 99))
    h5_case(lambda f: f.attrs.__setitem__("format_version", "two"))
    h5_case(lambda f: f.attrs.__setitem__("layers", 2**40))
    h5_case(lambda f: f.attrs.__setitem__("experts", -3))
    h5_case(lambda f: replace(f, "metrics/step", np.array([b"one", b"two"])))
    h5_case(lambda f: replace(f, "metrics/loss", np.zeros((3, 3))))
    h5_case(lambda f: replace(f, "routing/load", np.zeros((2, 5, 7, 9), dtype=np.float32)))
    h5_case(lambda f: replace(f, "routing/load", np.zeros((1, 2**20, 3), dtype=np.float32)))
    h5_case(lambda f: f.__delitem__("metrics"))
    h5_case(lambda f: replace(f, "routing/step", np.zeros((3, 2), dtype=np.int64)))

    # --- safetensors (safetensors FILE --copy OUT) ---
    from safetensors.numpy import save_file
    good_st = os.path.join(tmp, "good.safetensors")
    save_file({"a": np.arange(12, dtype=np.float32).reshape(3, 4), "b": np.ones(5, dtype=np.float16)}, good_st)
    intact_st = run_cli(args.cli, "safetensors", good_st).stdout
    st_bytes = open(good_st, "rb").read()
    header_end = 8 + int.from_bytes(st_bytes[:8], "little")

    def st_case(data, same_as=None):
        bad_st = write(fresh(tmp, "bad.safetensors"), data)
        copy = os.path.join(os.path.dirname(bad_st), "copy.safetensors")
        run("safetensors", ["safetensors", bad_st, "--copy", copy], bad_st, [copy],
            same_as=same_as.replace(good_st, bad_st) if same_as else None)

    for data in truncations(st_bytes, 10) + randoms(4) + flips(st_bytes, 15, 0, header_end):
        st_case(data, same_as=intact_st)
    for header in ['{"a": {"dtype": "F32", "shape": [3, 4], "data_offsets": [0, 48]}, "a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}',
                   '{"a": {"dtype": "F32", "shape": [1099511627776, 1099511627776], "data_offsets": [0, 48]}}',
                   '{"a": {"dtype": "I8", "shape": [4], "data_offsets": [0, 4]}}',
                   '{"a": {"dtype": "F32", "shape": "big", "data_offsets": [0, 48]}}',
                   '{"a": {"dtype": "F32", "shape": [3, 4], "data_offsets": [40, 88]}}',
                   '{"a": {"dtype": "F32", "shape": [-3, 4], "data_offsets": [0, 48]}}', '[]', '{"a": 1}']:
        h = header.encode()
        st_case(len(h).to_bytes(8, "little") + h + bytes(48))
    st_case((2**62).to_bytes(8, "little") + b"{}")

    # --- IDX (Fashion-MNIST as Debian ships it, gzip) ---
    import gzip

    def idx(magic, dims, payload):
        return bytes([0, 0, 8, magic]) + b"".join(int(d).to_bytes(4, "big") for d in dims) + payload

    images = idx(3, [20, 28, 28], bytes(rng.randrange(256) for _ in range(20 * 784)))
    labels = idx(1, [20], bytes(20))
    idx_cases = [("train-images-idx3-ubyte.gz", gzip.compress(images[:100])),
                 ("train-images-idx3-ubyte.gz", gzip.compress(bytes(rng.randrange(256) for _ in range(5000)))),
                 ("train-images-idx3-ubyte.gz", gzip.compress(idx(3, [20, 28, 28], bytes(20 * 784)))),  # all 0
                 ("train-images-idx3-ubyte.gz", gzip.compress(idx(3, [2**31 - 1, 28, 28], bytes(64)))),
                 ("train-images-idx3-ubyte.gz", gzip.compress(idx(3, [20, 2**20, 2**20], bytes(64)))),
                 ("train-images-idx3-ubyte.gz", gzip.compress(idx(9, [20, 28, 28], bytes(20 * 784)))),
                 ("train-images-idx3-ubyte.gz", gzip.compress(bytes([1, 2, 8, 3]) + images[4:])),
                 ("train-images-idx3-ubyte.gz", gzip.compress(b"")),
                 ("train-images-idx3-ubyte.gz", b""),
                 ("train-labels-idx1-ubyte.gz", gzip.compress(idx(1, [19], bytes(19)))),
                 ("train-labels-idx1-ubyte.gz", gzip.compress(idx(1, [20], bytes([99] * 20)))),
                 ("train-labels-idx1-ubyte.gz", gzip.compress(labels[:10])),
                 ("train-images-idx3-ubyte.gz", gzip.compress(images)[:-9])]
    idx_cases += [("train-images-idx3-ubyte.gz", data) for data in flips(gzip.compress(images), 6)]
    for name, data in idx_cases:
        fm = os.path.dirname(fresh(tmp, "x"))
        for n, d in [("train-images-idx3-ubyte.gz", images), ("train-labels-idx1-ubyte.gz", labels),
                     ("t10k-images-idx3-ubyte.gz", images), ("t10k-labels-idx1-ubyte.gz", labels)]:
            write(os.path.join(fm, n), gzip.compress(d))
        write(os.path.join(fm, name), data)
        vision = os.path.join(fm, "vision.json")
        with open(vision, "w") as f:
            json.dump({"preset": "vision-fmnist", "threads": 1, "device": "cpu", "train": {"steps": 1},
                       "data": {"fashion_mnist_dir": fm}}, f)
        run("IDX", ["train", "--config", vision, "--log", os.path.join(fm, "would-be.h5")], os.path.join(fm, name),
            [os.path.join(fm, "would-be.h5")])

    # --- text corpora (the fortunes tree) ---
    for case in ["empty", "only-dat", "absent", "only-separators"]:
        d = os.path.join(tmp, "corpus-" + case)
        if case != "absent":
            os.makedirs(d, exist_ok=True)
        if case == "only-dat":
            write(os.path.join(d, "animals.dat"), b"\x00\x00\x00\x02garbage")
        if case == "only-separators":
            write(os.path.join(d, "blob"), b"%\n%\n%\n")
        c = json.loads(json.dumps(base))
        c["data"]["fortunes_dir"] = d
        train_case("text corpus", json.dumps(c), d)

    # --- tokenizer.json (tokenize) ---
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel()
    tok.train_from_iterator([open(os.path.join(fortunes, "animals")).read()] * 3,
                            trainers.BpeTrainer(vocab_size=300, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    good_tok = os.path.join(tmp, "tokenizer.json")
    tok.save(good_tok)
    text = write(os.path.join(tmp, "t.txt"), "The quick brown fox.")
    tok_bytes = open(good_tok, "rb").read()

    def tok_case(data):
        bad_tok = write(fresh(tmp, "bad-tokenizer.json"), data)
        out = os.path.join(os.path.dirname(bad_tok), "ids.json")
        run("tokenizer.json", ["tokenize", "--tokenizer", bad_tok, "--text", text, "--out", out], bad_tok, [out])

    for data in truncations(tok_bytes, 12) + randoms(5):
        tok_case(data)
    for edit in [lambda t: t.__setitem__("model", None), lambda t: t["model"].__setitem__("type", "Unigram2"),
                 lambda t: t["model"].__setitem__("vocab", [1, 2]), lambda t: t["model"].__setitem__("merges", {"a": 1}),
                 lambda t: t["model"]["vocab"].__setitem__("Ġthe", -5), lambda t: t["model"]["vocab"].__setitem__("Ġthe", 2**40),
                 lambda t: t.__setitem__("pre_tokenizer", {"type": "Split", "pattern": {"Regex": "(("}, "behavior": "Isolated", "invert": False}),
                 lambda t: t.__setitem__("normalizer", {"type": "Magic"}), lambda t: t.__setitem__("added_tokens", "none"),
                 lambda t: t["model"].__setitem__("merges", [["a"]]), lambda t: t.__setitem__("decoder", 7)]:
        t = json.loads(tok_bytes)
        edit(t)
        tok_case(json.dumps(t))

    # --- Hugging Face config.json (inspect --model) ---
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import hf_tiny
    model_dir = os.path.join(tmp, "mixtral")
    hf_tiny.make_model("mixtral", model_dir)
    shutil.copy(good_tok, os.path.join(model_dir, "tokenizer.json"))
    long_text = write(os.path.join(tmp, "long.txt"), open(os.path.join(fortunes, "animals")).read())
    cfg_bytes = open(os.path.join(model_dir, "config.json"), "rb").read()

    def hf_case(data):
        folder = os.path.dirname(fresh(tmp, "x"))
        shutil.copytree(model_dir, folder, dirs_exist_ok=True)
        cfg = write(os.path.join(folder, "config.json"), data)
        hlog = os.path.join(folder, "inspect.h5")
        run("HF config.json", ["inspect", "--model", folder, "--text", long_text, "--log", hlog], cfg, [hlog])

    for data in truncations(cfg_bytes, 10) + randoms(4):
        hf_case(data)
    for key, value in [("hidden_size", "big"), ("hidden_size", 10**9), ("num_local_experts", 10**6),
                       ("num_hidden_layers", -2), ("vocab_size", 2**40), ("num_attention_heads", 0),
                       ("num_experts_per_tok", 99), ("rope_theta", "x"), ("architectures", ["GPT2LMHeadModel"]),
                       ("architectures", 5), ("intermediate_size", 10**12), ("num_key_value_heads", 3)]:
        c = json.loads(cfg_bytes)
        c[key] = value
        hf_case(json.dumps(c))

    failures = []
    for future in pending:
        try:
            future.result()
        except AssertionError as e:
            failures.append(str(e))
    pool.shutdown()
    total = sum(tried.values())
    print(f"{total} bad inputs, {len(failures)} failed:")
    for kind, n in tried.items():
        print(f"  {kind:16s} {n:4d}")
    for outcome, n in sorted(outcomes.items()):
        print(f"    {outcome:34s} {n:4d}")
    for f in failures:
        print("FAILED:", f[:1500], "\n")
    assert not failures, f"{len(failures)} of {total} cases failed"
    assert total >= 200, total
