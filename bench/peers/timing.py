"""Median wall time of a step, for the Python side of the benchmarks."""
import time

import torch


def median_ms(step, reps, warmup=3, device=None):
    """Runs step() warmup times, then reps timed times; on CUDA each timing waits for the GPU."""
    def sync():
        if device is not None and torch.device(device).type == "cuda":
            torch.cuda.synchronize()

    for _ in range(warmup):
        step()
    sync()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        step()
        sync()
        times.append((time.perf_counter() - t0) * 1e3)
    return sorted(times)[len(times) // 2]
