"""The same MoE block as MoE Scope's MoELayer, written the usual PyTorch way: the
Hugging Face Mixtral sparse-MoE pattern (loop over experts, torch.where, index_add_).
Used by bench/vs_pytorch.py, eager and under torch.compile."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Expert(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.w1 = nn.Linear(d, h, bias=False)  # gate
        self.w3 = nn.Linear(d, h, bias=False)  # up
        self.w2 = nn.Linear(h, d, bias=False)  # down

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class MixtralSparseMoe(nn.Module):
    def __init__(self, d, h, experts, top_k):
        super().__init__()
        self.experts_n, self.top_k = experts, top_k
        self.gate = nn.Linear(d, experts, bias=False)
        self.experts = nn.ModuleList(Expert(d, h) for _ in range(experts))

    def forward(self, x):  # x: [T, d]
        logits = self.gate(x)
        probs = F.softmax(logits, dim=1, dtype=torch.float)
        weights, selected = torch.topk(probs, self.top_k, dim=-1)
        weights = (weights / weights.sum(dim=-1, keepdim=True)).to(x.dtype)
        out = torch.zeros_like(x)
        mask = F.one_hot(selected, num_classes=self.experts_n).permute(2, 1, 0)  # [E, k, T]
        for e in range(self.experts_n):
            slot, token = torch.where(mask[e])
            if token.numel() == 0:
                continue
            y = self.experts[e](x[token]) * weights[token, slot, None]
            out.index_add_(0, token, y)
        counts = torch.bincount(selected.flatten(), minlength=self.experts_n).to(probs.dtype)
        aux = self.experts_n * (counts / selected.numel() * probs.mean(0)).sum()
        z = torch.logsumexp(logits.float(), dim=1).pow(2).mean()  # router z-loss, as ours
        return out, aux, z
