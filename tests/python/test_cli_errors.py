"""moescope-cli answers bad input with a non-zero exit and a message that says what is wrong."""
import os
import signal
import subprocess
import sys
import tempfile

from support import run_cli, write_config, write_fortunes

cli = sys.argv[1]


def expect_failure(args, words):
    run = subprocess.run([cli] + args, capture_output=True, text=True, timeout=120)
    message = run.stdout + run.stderr
    assert run.returncode != 0, f"{args}: exit 0\n{message}"
    assert words in message, f"{args}: expected {words!r} in:\n{message}"
    assert "Traceback" not in message and "terminate called" not in message, message


with tempfile.TemporaryDirectory() as tmp:
    fortunes = os.path.join(tmp, "fortunes")
    write_fortunes(fortunes)
    config = os.path.join(tmp, "run.json")

    expect_failure(["train", "--preset", "nope"], "unknown preset 'nope'")
    expect_failure(["train", "--steps", "-5"], "--steps")
    expect_failure(["train", "--config", os.path.join(tmp, "absent.json")], "absent.json")
    with open(config, "w") as f:
        f.write('{"preset": "lm-fortunes", "model": {')
    expect_failure(["train", "--config", config], "malformed JSON")
    with open(config, "w") as f:
        f.write('{"preset": "lm-fortunes", "model": {"experts": "eight"}}')
    expect_failure(["train", "--config", config], "model.experts must be an integer")
    with open(config, "w") as f:
        f.write('{"preset": "lm-fortunes", "model": {"experts": 4, "top_k": 6}}')
    expect_failure(["train", "--config", config], "model.top_k = 6")
    with open(config, "w") as f:
        f.write('{"preset": "lm-fortunes", "router": {"kind": "magic"}}')
    expect_failure(["train", "--config", config], 'router.kind "magic" is not one of top_k, switch')
    with open(config, "w") as f:
        f.write('{"preset": "lm-fortunes", "router": {"capacity_factor": -1}}')
    expect_failure(["train", "--config", config], "router.capacity_factor = -1")
    expect_failure(["train", "--router", "magic"],
                   "--router magic: not a routing method (known: top_k, switch, expert_choice, hash, "
                   "dense_to_sparse or top_p)")
    expect_failure(["train", "--intervene", "10:warp=9"], "unknown kind 'warp'")
    expect_failure(["train", "--intervene", "ten:lr=1"], "STEP and VALUE must be numbers")
    write_config(config, os.path.join(tmp, "no-such-dir"))
    expect_failure(["train", "--config", config], "apt install fortunes")
    write_config(config, fortunes, steps=2)
    expect_failure(["train", "--config", config, "--log", os.path.join(tmp, "no", "dir", "x.h5")], "x.h5")
    expect_failure(["train", "--config", config, "--resume", os.path.join(tmp, "absent.pt")], "absent.pt")
    with open(os.path.join(tmp, "bad.pt"), "w") as f:
        f.write("garbage")
    expect_failure(["train", "--config", config, "--resume", os.path.join(tmp, "bad.pt")], "bad.pt")

    # Scripted interventions land in /events at their step.
    log = os.path.join(tmp, "events.h5")
    run = subprocess.run([cli, "train", "--config", config, "--steps", "6", "--log", log,
                          "--intervene", "2:capacity_factor=1.5", "--intervene", "4:bias_rate=0.01"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "at step 2: capacity_factor = 1.5" in run.stdout, run.stdout
    import h5py
    with h5py.File(log, "r") as f:
        assert list(f["/events/step"][:]) == [2, 4]
        assert [k.decode() for k in f["/events/kind"][:]] == ["capacity_factor", "bias_balancing"]
        assert list(f["/events/value"][:]) == [1.5, 0.01]

    # And the good path: a checkpoint written, then resumed to a longer run.
    ckpt = os.path.join(tmp, "c.pt")
    ok = subprocess.run([cli, "train", "--config", config, "--checkpoint", ckpt], capture_output=True, text=True)
    assert ok.returncode == 0 and os.path.exists(ckpt), ok.stderr
    more = subprocess.run([cli, "train", "--config", config, "--steps", "4", "--resume", ckpt],
                          capture_output=True, text=True)
    assert more.returncode == 0 and "resumed from" in more.stderr and "at step 2" in more.stderr, more.stderr

    # A number no double holds: the file is named.
    with open(config, "w") as f:
        f.write('{"preset": "lm-fortunes", "train": {"lr": 1e400}}')
    expect_failure(["train", "--config", config], config + ": malformed JSON")

    # A checkpoint whose largest tensor was overwritten with NaN after it was written is refused
    # by its checksums, naming the tensor: it never reaches training.
    write_config(config, fortunes, steps=2)
    import zipfile
    nan_ckpt = os.path.join(tmp, "nan.pt")
    with zipfile.ZipFile(ckpt) as z, zipfile.ZipFile(nan_ckpt, "w", zipfile.ZIP_STORED) as out:
        data = [n for n in z.namelist() if "/data/" in n]
        largest = max(data, key=lambda n: z.getinfo(n).file_size)
        for name in z.namelist():
            out.writestr(name, b"\xff" * z.getinfo(name).file_size if name == largest else z.read(name))
    expect_failure(["train", "--config", config, "--steps", "4", "--resume", nan_ckpt],
                   "nan.pt: corrupt checkpoint: tensor '")
    expect_failure(["check", nan_ckpt], "does not match its checksum")

    # A router temperature of 1e-300 set live at step 2 makes step 3's loss infinite and the run
    # pauses itself: headless, it stops (no hang), writes the checkpoint of the state before
    # that step and exits with status 3; --on-pause wait waits until Ctrl-C.
    after = os.path.join(tmp, "after.pt")
    overflow = ["--intervene", "2:temperature=1e-300"]
    paused = subprocess.run([cli, "train", "--config", config, "--steps", "4", *overflow, "--checkpoint", after],
                            capture_output=True, text=True, timeout=120)
    message = paused.stdout + paused.stderr
    assert paused.returncode == 3, f"exit {paused.returncode}\n{message}"
    assert "loss is not finite at step 3" in message, message
    assert "the run paused itself" in message and "--on-pause wait" in message, message
    assert os.path.exists(after) and "checkpoint saved to" in paused.stderr, message
    assert "at step 2" in run_cli(cli, "check", after).stdout  # the state before the failing step
    waiting = subprocess.Popen([cli, "train", "--config", config, "--steps", "4", *overflow,
                                "--on-pause", "wait"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        waiting.wait(timeout=15)
        raise AssertionError("--on-pause wait did not wait: " + waiting.stdout.read())
    except subprocess.TimeoutExpired:
        pass
    waiting.send_signal(signal.SIGINT)
    rest = waiting.communicate(timeout=60)[0]
    assert waiting.returncode == 130, f"exit {waiting.returncode}\n{rest}"
    assert "paused at step 2" in rest, rest
print("ok")
