"""The lm-fortunes model of MoE Scope written the usual PyTorch way, for the training-step
comparison of bench/vs_pytorch_step.py: byte embedding + learned positions, 4 pre-norm
blocks of causal SDPA attention and a Mixtral-style sparse MoE (loop over experts), a tied
output layer, cross-entropy + 0.01 * balance loss + 0.001 * z-loss, AdamW with the same
parameter groups and gradient clipping."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from mixtral_moe import MixtralSparseMoe


class Block(nn.Module):
    def __init__(self, d, heads, experts, top_k, hidden):
        super().__init__()
        self.heads = heads
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.proj = nn.Linear(d, d, bias=False)
        self.moe = MixtralSparseMoe(d, hidden, experts, top_k)

    def forward(self, x):
        B, S, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(B, S, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        h = x + self.proj(y.transpose(1, 2).reshape(B, S, d))
        m, aux, z = self.moe(self.norm2(h).reshape(-1, d))
        return h + m.view(B, S, d), aux, z


class LmFortunes(nn.Module):
    def __init__(self, vocab=256, context=128, d=128, heads=4, layers=4, experts=8, top_k=2, hidden=256):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(context, d)
        nn.init.normal_(self.tok.weight, std=0.02)
        nn.init.normal_(self.pos.weight, std=0.01)
        self.blocks = nn.ModuleList(Block(d, heads, experts, top_k, hidden) for _ in range(layers))
        self.norm = nn.LayerNorm(d)

    def forward(self, tokens):
        x = self.tok(tokens) + self.pos(torch.arange(tokens.shape[1]))
        aux = z = 0.0
        for block in self.blocks:
            x, a, zz = block(x)
            aux, z = aux + a, z + zz
        n = len(self.blocks)
        return F.linear(self.norm(x), self.tok.weight), aux / n, z / n


def make_optimizer(model, lr=2e-3, weight_decay=0.1):
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2 and "tok" not in n and "pos" not in n]
    rest = [p for n, p in model.named_parameters() if not (p.dim() >= 2 and "tok" not in n and "pos" not in n)]
    return torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay},
                              {"params": rest, "weight_decay": 0.0}], lr=lr, betas=(0.9, 0.95))


def train_step(model, forward, optimizer, tokens, targets):
    optimizer.zero_grad(set_to_none=True)
    logits, aux, z = forward(tokens)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), targets.reshape(-1))
    (loss + 0.01 * aux + 1e-3 * z).backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()
