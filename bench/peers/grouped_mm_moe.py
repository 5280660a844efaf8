"""The same MoE block as MoE Scope's MoELayer, written in Python on torch._grouped_mm: tokens
sorted by expert, one grouped GEMM per stage over stacked weights (the pattern of the
PyTorch-native MoE training stacks). Used by bench/gpu_moe.py on CUDA in bf16."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class GroupedMmMoe(nn.Module):
    def __init__(self, d, h, experts, top_k):
        super().__init__()
        self.experts_n, self.top_k, self.h = experts, top_k, h
        self.gate = nn.Linear(d, experts, bias=False)
        self.w_in = nn.Parameter(torch.randn(experts, d, 2 * h) / d**0.5)  # gate | up
        self.w_out = nn.Parameter(torch.randn(experts, h, d) / h**0.5)

    def forward(self, x):  # x: [T, d]
        logits = self.gate(x).float()
        probs = F.softmax(logits, dim=1)
        weights, selected = torch.topk(probs, self.top_k, dim=-1)
        weights = weights / weights.sum(dim=-1, keepdim=True)
        flat = selected.flatten()
        order = torch.argsort(flat, stable=True)
        token = torch.arange(x.shape[0], device=x.device).repeat_interleave(self.top_k)[order]
        counts = torch.bincount(flat, minlength=self.experts_n)
        offsets = torch.cumsum(counts, 0, dtype=torch.int32)
        gate_up = torch._grouped_mm(x[token], self.w_in, offs=offsets)
        hidden = F.silu(gate_up[:, : self.h]) * gate_up[:, self.h :]
        y = torch._grouped_mm(hidden, self.w_out, offs=offsets)
        y = y * weights.flatten()[order, None].to(y.dtype)
        out = torch.zeros_like(x).index_add_(0, token, y)
        aux = self.experts_n * (counts.to(probs.dtype) / flat.numel() * probs.mean(0)).sum()
        z = torch.logsumexp(logits, dim=1).pow(2).mean()
        return out, aux, z
