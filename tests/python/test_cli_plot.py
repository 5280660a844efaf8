"""moescope-cli plot draws every view of a log written by a test run, with no display: a PNG of
the asked size and DPI, an SVG that parses as XML with the figure's words as text, a PDF that
pdftoppm renders; an animation writes one numbered frame per routing snapshot in the range;
bad arguments are errors that name what to do."""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import h5py

from support import run_cli, write_config, write_fortunes

cli = sys.argv[1]
VIEWS = ["loss", "heatmap", "timeline", "gating", "trajectories", "tokens", "modality", "alerts", "surgery"]


def png_header(path):
    """(width, height, dpi) of a PNG, from its IHDR and pHYs chunks."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    dpi = None
    at = data.find(b"pHYs")
    if at > 0:
        x, _, unit = struct.unpack(">IIB", data[at + 4:at + 13])
        dpi = round(x * 0.0254) if unit == 1 else None
    return width, height, dpi


def svg_texts(path):
    root = ET.parse(path).getroot()
    return [" ".join("".join(t.itertext()).split()) for t in root.iter() if t.tag.endswith("text")]


env = dict(os.environ)
env.pop("DISPLAY", None)
env.pop("WAYLAND_DISPLAY", None)
env.pop("QT_QPA_PLATFORM", None)  # plot chooses offscreen itself when there is no display

with tempfile.TemporaryDirectory() as tmp:
    write_fortunes(os.path.join(tmp, "fortunes"))
    config = os.path.join(tmp, "run.json")
    write_config(config, os.path.join(tmp, "fortunes"), steps=40, snapshot_every=5, eval_every=20)
    log = os.path.join(tmp, "run.h5")
    ckpt = os.path.join(tmp, "run.pt")
    trained = run_cli(cli, "train", "--config", config, "--log", log, "--checkpoint", ckpt)
    assert trained.returncode == 0, trained.stderr

    def plot(*args):
        return subprocess.run([cli, "plot", "--log", log, *args], capture_output=True, text=True, timeout=300, env=env)

    # Every view, each format.
    for suffix in ["svg", "png", "pdf"]:
        out = os.path.join(tmp, suffix)
        done = plot("--all", "--out-dir", out, "--out", "x." + suffix, "--dpi", "150")
        assert done.returncode == 0, done.stderr
        assert sorted(os.listdir(out)) == sorted(v + "." + suffix for v in VIEWS), os.listdir(out)

    for view in VIEWS:
        texts = svg_texts(os.path.join(tmp, "svg", view + ".svg"))
        assert len(texts) >= 1, (view, texts)
        with open(os.path.join(tmp, "pdf", view + ".pdf"), "rb") as f:
            assert f.read(5) == b"%PDF-", view
        width, height, dpi = png_header(os.path.join(tmp, "png", view + ".png"))
        assert dpi == 150 and width >= 0.5 * 150 and height >= 0.5 * 150, (view, width, height, dpi)
    heatmap = " ".join(svg_texts(os.path.join(tmp, "svg", "heatmap.svg")))
    assert "Expert load" in heatmap and "layer" in heatmap and "expert" in heatmap, heatmap
    loss = " ".join(svg_texts(os.path.join(tmp, "svg", "loss.svg")))
    assert "step" in loss and "train" in loss and "validation" in loss, loss

    # One view at a chosen size and step: 3.3 x 2.5 in at 300 DPI is 990 x 750 pixels.
    one = os.path.join(tmp, "timeline.png")
    done = plot("--view", "timeline", "--step", "20", "--size", "3.3x2.5", "--out", one)
    assert done.returncode == 0, done.stderr
    assert png_header(one) == (990, 750, 300), png_header(one)

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        page = os.path.join(tmp, "page")
        subprocess.run([pdftoppm, "-png", "-r", "72", "-singlefile", os.path.join(tmp, "pdf", "heatmap.pdf"), page],
                       check=True, timeout=60)
        width, height, _ = png_header(page + ".png")
        assert abs(width - 3.3 * 72) <= 1 and abs(height - 2.6 * 72) <= 1, (width, height)
    else:
        print("pdftoppm (poppler-utils) missing: PDFs checked by header only")

    # An animation: one frame per routing snapshot in steps 10..30.
    with h5py.File(log, "r") as f:
        steps = [int(s) for s in f["routing/step"][:] if 10 <= s <= 30]
    frames = os.path.join(tmp, "frames")
    done = plot("--view", "heatmap", "--steps", "10:30", "--out-dir", frames, "--dpi", "72")
    assert done.returncode == 0, done.stderr
    assert sorted(os.listdir(frames)) == [f"heatmap_{i:05d}.png" for i in range(len(steps))], os.listdir(frames)
    if not shutil.which("ffmpeg"):
        gif = plot("--view", "heatmap", "--steps", "10:30", "--out", os.path.join(tmp, "a.gif"))
        assert gif.returncode != 0 and "ffmpeg" in gif.stderr, gif.stderr

    # A surgery preview written by merge --log, drawn by the surgery view.
    merged_log = os.path.join(tmp, "merge.h5")
    done = run_cli(cli, "merge", "--checkpoint", ckpt, "--experts", "3", "--calibration-tokens", "512",
                   "--log", merged_log)
    assert done.returncode == 0, done.stderr
    assert not os.path.exists(merged_log + ".part")
    with h5py.File(merged_log, "r") as f:
        assert [a.decode() for a in f["surgery/action"][:]] == ["preview"], f["surgery/action"][:]
        assert int(f["surgery/step"][0]) == 40, f["surgery/step"][:]
    figure = os.path.join(tmp, "surgery.svg")
    done = subprocess.run([cli, "plot", "--log", merged_log, "--view", "surgery", "--out", figure],
                          capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    surgery = " ".join(svg_texts(figure))
    assert "expert similarity" in surgery and "usage" in surgery and "saliency" in surgery, surgery
    bad = run_cli(cli, "prune", "--checkpoint", ckpt, "--keep-total", "6", "--log", os.path.join(tmp, "p.h5"))
    assert bad.returncode != 0 and "--keep" in bad.stderr and not os.path.exists(os.path.join(tmp, "p.h5")), bad.stderr

    # Errors that say what to do, and no file written.
    bad = plot("--view", "nothing", "--out", os.path.join(tmp, "n.svg"))
    assert bad.returncode != 0 and "heatmap" in bad.stderr, bad.stderr
    bad = plot("--view", "loss", "--out", os.path.join(tmp, "n.jpg"))
    assert bad.returncode != 0 and ".png, .svg or .pdf" in bad.stderr and not os.path.exists(os.path.join(tmp, "n.jpg")), bad.stderr
    bad = plot("--view", "loss", "--size", "wide", "--out", os.path.join(tmp, "n.svg"))
    assert bad.returncode != 0 and "WxH" in bad.stderr, bad.stderr
    junk = os.path.join(tmp, "junk.h5")
    with open(junk, "wb") as f:
        f.write(b"not a log")
    bad = subprocess.run([cli, "plot", "--log", junk, "--view", "loss", "--out", os.path.join(tmp, "n.svg")],
                         capture_output=True, text=True, timeout=60, env=env)
    assert bad.returncode != 0 and "junk.h5" in bad.stderr, bad.stderr
print("ok")
