#include "surgery/permutation_align.h"

#include <algorithm>
#include <numeric>
#include <set>
#include <string>

#include "base/error.h"
#include "surgery/assignment.h"

namespace moescope {
namespace {

using Perm = std::vector<int64_t>;

Perm iota(int64_t n) {
  Perm p(static_cast<size_t>(n));
  std::iota(p.begin(), p.end(), 0);
  return p;
}

torch::Tensor index(const Perm& p, const torch::Tensor& like) {
  return torch::tensor(p, torch::kLong).to(like.device());
}

torch::Tensor take(const torch::Tensor& t, int64_t dim, const Perm& p) { return t.index_select(dim, index(p, t)); }

// p[q[i]]: first p, then q on top of it ("unit p[q[i]] of the original goes to place i").
Perm compose(const Perm& p, const Perm& q) {
  Perm out(q.size());
  for (size_t i = 0; i < q.size(); ++i) out[i] = p[static_cast<size_t>(q[i])];
  return out;
}

bool is_identity(const Perm& p) {
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] != static_cast<int64_t>(i)) return false;
  }
  return true;
}

int64_t moved(const Perm& p) {
  int64_t n = 0;
  for (size_t i = 0; i < p.size(); ++i) n += p[i] != static_cast<int64_t>(i);
  return n;
}

void check_permutation(const Perm& p, int64_t n, const std::string& what) {
  if (static_cast<int64_t>(p.size()) != n) {
    throw Error("alignment: the permutation of " + what + " has " + std::to_string(p.size()) + " entries for " +
                std::to_string(n) + " units");
  }
  std::vector<bool> seen(static_cast<size_t>(n), false);
  for (auto v : p) {
    if (v < 0 || v >= n || seen[static_cast<size_t>(v)]) throw Error("alignment: the permutation of " + what + " is not one");
    seen[static_cast<size_t>(v)] = true;
  }
}

MoEBlockImpl& block(const TransformerLMImpl& model, size_t b) {
  auto* blk = (*model.blocks)[b]->as<MoEBlock>();
  if (blk == nullptr) throw Error("alignment: block " + std::to_string(b) + " is not a transformer block");
  return *blk;
}

// Refuses the layers a permutation would not leave computing the same function.
void check_permutable(const TransformerLMImpl& model) {
  if (!model.options.moe().moescope_decoder()) {
    throw Error("alignment: the model has the " + model.options.moe().architecture +
                " decoder; alignment permutes MoE Scope's own (architecture moescope)");
  }
  for (size_t b = 0; b < model.blocks->size(); ++b) {
    const auto& blk = block(model, b);
    if (blk.moe.is_empty()) continue;
    const auto& o = blk.moe->options;
    const auto& router = *blk.moe->router;
    const std::string where = "alignment: block " + std::to_string(b) + " ";
    if (o.shared_experts() > 0) throw Error(where + "has shared experts; alignment permutes routed FFN experts only");
    if (o.routed_experts() != o.experts()) {
      throw Error(where + "has zero-computation or constant experts; alignment permutes FFN experts only");
    }
    if (router.weight.size(0) != o.experts()) throw Error(where + "has merged router logits (a merged model); align before merging experts");
    if (router.config.groups > 1) throw Error(where + "routes within expert groups; a permutation would move experts between groups");
    if (!o.expert_modality().empty()) throw Error(where + "has modality expert groups");
  }
}

struct Shapes {
  int64_t d = 0, heads = 0, head_dim = 0;
};

Shapes shapes_of(const TransformerLMImpl& model) {
  Shapes s;
  s.d = model.options.d_model();
  s.heads = model.options.heads();
  s.head_dim = s.d / s.heads;
  return s;
}

// Rows of qkv (q, k and v sections) in the order of the heads' permutation.
Perm qkv_rows(const Perm& heads, const Shapes& s) {
  Perm rows;
  for (int64_t part = 0; part < 3; ++part) {
    for (auto h : heads) {
      for (int64_t j = 0; j < s.head_dim; ++j) rows.push_back(part * s.d + h * s.head_dim + j);
    }
  }
  return rows;
}

Perm head_columns(const Perm& heads, const Shapes& s) {
  Perm cols;
  for (auto h : heads) {
    for (int64_t j = 0; j < s.head_dim; ++j) cols.push_back(h * s.head_dim + j);
  }
  return cols;
}

// The tensors permute_model writes: everything it must know, so that none is left behind.
std::set<std::string> known_tensors(const TransformerLMImpl& model) {
  std::set<std::string> names = {"token_embedding.weight", "position_embedding.weight", "final_norm.weight",
                                 "final_norm.bias"};
  for (size_t b = 0; b < model.blocks->size(); ++b) {
    const std::string p = "blocks." + std::to_string(b) + ".";
    for (const char* n : {"norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias", "attention.qkv.weight",
                          "attention.proj.weight", "ffn.gate", "ffn.up", "ffn.down", "moe.w_in", "moe.w_out",
                          "moe.router.weight", "moe.router.logit_bias", "moe.router.balance_bias",
                          "moe.router.hash_table"}) {
      names.insert(p + n);
    }
  }
  return names;
}

}  // namespace

ModelPermutation ModelPermutation::identity(const TransformerLMImpl& model) {
  const auto s = shapes_of(model);
  ModelPermutation p;
  p.residual = iota(s.d);
  for (size_t b = 0; b < model.blocks->size(); ++b) {
    const auto& blk = block(model, b);
    p.heads.push_back(iota(s.heads));
    if (blk.moe.is_empty()) {
      p.experts.emplace_back();
      p.hidden.push_back({iota(blk.ffn->hidden)});
    } else {
      const auto E = blk.moe->options.experts();
      p.experts.push_back(iota(E));
      p.hidden.emplace_back(static_cast<size_t>(E), iota(blk.moe->options.hidden()));
    }
  }
  return p;
}

bool ModelPermutation::is_identity() const {
  if (!moescope::is_identity(residual)) return false;
  for (const auto& h : heads) {
    if (!moescope::is_identity(h)) return false;
  }
  for (const auto& e : experts) {
    if (!moescope::is_identity(e)) return false;
  }
  for (const auto& per_block : hidden) {
    for (const auto& h : per_block) {
      if (!moescope::is_identity(h)) return false;
    }
  }
  return true;
}

void permute_model(TransformerLMImpl& model, const ModelPermutation& p) {
  check_permutable(model);
  const auto known = known_tensors(model);
  for (const auto& dict : {model.named_parameters(true), model.named_buffers(true)}) {
    for (const auto& item : dict) {
      if (!known.count(item.key())) throw Error("alignment does not know how to permute " + item.key());
    }
  }
  const auto s = shapes_of(model);
  const size_t blocks = model.blocks->size();
  check_permutation(p.residual, s.d, "the residual stream");
  if (p.heads.size() != blocks || p.experts.size() != blocks || p.hidden.size() != blocks) {
    throw Error("alignment: the permutation is for a model of another depth");
  }
  for (size_t b = 0; b < blocks; ++b) {
    const auto& blk = block(model, b);
    const std::string where = "block " + std::to_string(b);
    check_permutation(p.heads[b], s.heads, where + "'s heads");
    if (blk.moe.is_empty()) {
      if (!p.experts[b].empty() || p.hidden[b].size() != 1) throw Error("alignment: " + where + " is dense");
      check_permutation(p.hidden[b][0], blk.ffn->hidden, where + "'s FFN");
    } else {
      const auto E = blk.moe->options.experts();
      check_permutation(p.experts[b], E, where + "'s experts");
      if (static_cast<int64_t>(p.hidden[b].size()) != E) throw Error("alignment: " + where + " has " + std::to_string(E) + " experts");
      for (int64_t e = 0; e < E; ++e) {
        check_permutation(p.hidden[b][static_cast<size_t>(e)], blk.moe->options.hidden(),
                          where + "'s expert " + std::to_string(e));
      }
    }
  }
  torch::NoGradGuard no_grad;
  // Every new value first, then the writes: a failure above changes nothing.
  std::vector<std::pair<torch::Tensor, torch::Tensor>> writes;
  const auto& r = p.residual;
  const auto set = [&](const torch::Tensor& slot, torch::Tensor value) { writes.emplace_back(slot, std::move(value)); };
  set(model.token_embedding->weight, take(model.token_embedding->weight, 1, r));
  set(model.position_embedding->weight, take(model.position_embedding->weight, 1, r));
  for (auto* norm : {&model.final_norm}) {
    set((*norm)->weight, take((*norm)->weight, 0, r));
    set((*norm)->bias, take((*norm)->bias, 0, r));
  }
  for (size_t b = 0; b < blocks; ++b) {
    auto& blk = block(model, b);
    for (auto* norm : {&blk.norm1, &blk.norm2}) {
      set((*norm)->weight, take((*norm)->weight, 0, r));
      set((*norm)->bias, take((*norm)->bias, 0, r));
    }
    const auto& qkv = blk.attention->qkv->weight;
    set(qkv, take(take(qkv, 0, qkv_rows(p.heads[b], s)), 1, r));
    const auto& proj = blk.attention->proj->weight;
    set(proj, take(take(proj, 0, r), 1, head_columns(p.heads[b], s)));
    if (blk.moe.is_empty()) {
      const auto& h = p.hidden[b][0];
      set(blk.ffn->gate, take(take(blk.ffn->gate, 0, h), 1, r));
      set(blk.ffn->up, take(take(blk.ffn->up, 0, h), 1, r));
      set(blk.ffn->down, take(take(blk.ffn->down, 0, r), 1, h));
      continue;
    }
    auto& layer = *blk.moe;
    const auto& pe = p.experts[b];
    const int64_t H = layer.options.hidden();
    std::vector<torch::Tensor> w_in, w_out;
    for (size_t i = 0; i < pe.size(); ++i) {
      const auto& h = p.hidden[b][i];
      Perm both = h;
      for (auto u : h) both.push_back(u + H);
      w_in.push_back(take(take(layer.w_in[pe[i]], 1, both), 0, r));  // [d, 2h]
      w_out.push_back(take(take(layer.w_out[pe[i]], 0, h), 1, r));   // [h, d]
    }
    set(layer.w_in, torch::stack(w_in));
    set(layer.w_out, torch::stack(w_out));
    auto& router = *layer.router;
    set(router.weight, take(take(router.weight, 0, pe), 1, r));
    if (router.logit_bias.defined()) set(router.logit_bias, take(router.logit_bias, 0, pe));
    if (router.balance_bias.defined()) set(router.balance_bias, take(router.balance_bias, 0, pe));
    if (router.hash_table.defined() && router.hash_table.numel() > 0) {
      Perm inverse(pe.size());
      for (size_t i = 0; i < pe.size(); ++i) inverse[static_cast<size_t>(pe[i])] = static_cast<int64_t>(i);
      const auto map = index(inverse, router.hash_table);
      set(router.hash_table, map.index_select(0, router.hash_table.reshape(-1)).reshape(router.hash_table.sizes()));
    }
  }
  for (auto& [slot, value] : writes) slot.copy_(value);
}

namespace {

torch::Tensor f64(const torch::Tensor& t) { return t.detach().to(torch::kCPU, torch::kFloat64); }

// [d, ·]: every weight read by or written to residual channel i, in row i.
torch::Tensor residual_features(const TransformerLMImpl& m) {
  std::vector<torch::Tensor> parts = {f64(m.token_embedding->weight).t(), f64(m.position_embedding->weight).t(),
                                      f64(m.final_norm->weight).unsqueeze(1), f64(m.final_norm->bias).unsqueeze(1)};
  for (size_t b = 0; b < m.blocks->size(); ++b) {
    const auto& blk = block(m, b);
    for (const auto* norm : {&blk.norm1, &blk.norm2}) {
      parts.push_back(f64((*norm)->weight).unsqueeze(1));
      parts.push_back(f64((*norm)->bias).unsqueeze(1));
    }
    parts.push_back(f64(blk.attention->qkv->weight).t());
    parts.push_back(f64(blk.attention->proj->weight));
    if (blk.moe.is_empty()) {
      parts.push_back(f64(blk.ffn->gate).t());
      parts.push_back(f64(blk.ffn->up).t());
      parts.push_back(f64(blk.ffn->down));
    } else {
      const auto& layer = *blk.moe;
      parts.push_back(f64(layer.w_in).permute({1, 0, 2}).reshape({m.options.d_model(), -1}));
      parts.push_back(f64(layer.w_out).permute({2, 0, 1}).reshape({m.options.d_model(), -1}));
      parts.push_back(f64(layer.router->weight).t());
    }
  }
  return torch::cat(parts, 1);
}

// [heads, ·]: each head's q, k and v rows and its output-projection columns.
torch::Tensor head_features(const MoEBlockImpl& blk, const Shapes& s) {
  const auto qkv = f64(blk.attention->qkv->weight).view({3, s.heads, s.head_dim * s.d}).permute({1, 0, 2});
  const auto proj = f64(blk.attention->proj->weight).view({s.d, s.heads, s.head_dim}).permute({1, 0, 2});
  return torch::cat({qkv.reshape({s.heads, -1}), proj.reshape({s.heads, -1})}, 1);
}

// [hidden, 3d]: each hidden unit's gate row, up row and down column.
torch::Tensor unit_features(const torch::Tensor& gate, const torch::Tensor& up, const torch::Tensor& down_t) {
  return torch::cat({f64(gate), f64(up), f64(down_t)}, 1);
}

torch::Tensor expert_units(const MoELayerImpl& layer, int64_t e) {
  const int64_t h = layer.options.hidden();
  const auto w_in = layer.w_in[e];
  return unit_features(w_in.narrow(1, 0, h).t(), w_in.narrow(1, h, h).t(), layer.w_out[e]);
}

double similarity(const TransformerLMImpl& a, const TransformerLMImpl& b) {
  double total = 0.0;
  const auto pb = b.named_parameters(true);
  for (const auto& item : a.named_parameters(true)) {
    total += (f64(item.value()) * f64(pb[item.key()])).sum().item<double>();
  }
  return total;
}

Perm best_match(const torch::Tensor& a, const torch::Tensor& b) { return linear_assignment(-a.matmul(b.t())); }

std::shared_ptr<TransformerLMImpl> permuted_copy(const TransformerLMImpl& model, const ModelPermutation& p) {
  auto copy = std::dynamic_pointer_cast<TransformerLMImpl>(model.clone());
  permute_model(*copy, p);
  return copy;
}

}  // namespace

AlignResult match_weights(const TransformerLMImpl& reference, const TransformerLMImpl& model, const AlignOptions& options) {
  check_permutable(reference);
  check_permutable(model);
  {
    const auto want = reference.named_parameters(true);
    const auto have = model.named_parameters(true);
    if (want.size() != have.size()) throw Error("alignment: the models have different parameters");
    for (const auto& item : want) {
      const auto* other = have.find(item.key());
      if (other == nullptr || !other->sizes().equals(item.value().sizes())) {
        throw Error("alignment: " + item.key() + " is " + c10::str(item.value().sizes()) + " in one model and " +
                    (other ? c10::str(other->sizes()) : std::string("missing")) + " in the other");
      }
    }
  }
  torch::NoGradGuard no_grad;
  const auto s = shapes_of(model);
  AlignResult result;
  result.similarity_before = similarity(reference, model);
  auto& p = result.permutation;
  p = ModelPermutation::identity(model);
  const auto reference_residual = residual_features(reference);
  std::vector<bool> experts_settled(model.blocks->size(), false);
  for (int64_t round = 0; round < options.max_rounds; ++round) {
    result.rounds = round + 1;
    bool changed = false;
    // The residual stream, with the other permutations as they stand.
    auto current = permuted_copy(model, p);
    const auto q = best_match(reference_residual, residual_features(*current));
    if (!is_identity(q)) {
      changed = true;
      p.residual = compose(p.residual, q);
      current = permuted_copy(model, p);
    }
    // Per block, with the residual stream aligned: heads, hidden units, experts.
    for (size_t b = 0; b < model.blocks->size(); ++b) {
      const auto& want = block(reference, b);
      const auto& have = block(*current, b);
      const auto heads = best_match(head_features(want, s), head_features(have, s));
      if (!is_identity(heads)) {
        changed = true;
        p.heads[b] = compose(p.heads[b], heads);
      }
      if (want.moe.is_empty()) {
        const auto units = best_match(unit_features(want.ffn->gate, want.ffn->up, want.ffn->down.t()),
                                      unit_features(have.ffn->gate, have.ffn->up, have.ffn->down.t()));
        if (!is_identity(units)) {
          changed = true;
          p.hidden[b][0] = compose(p.hidden[b][0], units);
        }
        continue;
      }
      // Experts: the router rows plus the best matching of hidden units of each pair.
      const auto& la = *want.moe;
      const auto& lb = *have.moe;
      const int64_t E = la.options.experts();
      std::vector<torch::Tensor> ua, ub;
      for (int64_t e = 0; e < E; ++e) {
        ua.push_back(expert_units(la, e));
        ub.push_back(expert_units(lb, e));
      }
      const auto routers = f64(la.router->weight).matmul(f64(lb.router->weight).t());
      auto score = torch::zeros({E, E}, torch::kFloat64);
      std::vector<std::vector<Perm>> pair_units(static_cast<size_t>(E), std::vector<Perm>(static_cast<size_t>(E)));
      // Every pair (E² matchings of the hidden units) until a round keeps the experts where
      // they are; from then on each expert's own pair only.
      const bool pairs = !experts_settled[b];
      for (int64_t i = 0; i < E; ++i) {
        for (int64_t j = 0; j < E; ++j) {
          if (!pairs && i != j) continue;
          const auto dots = ua[static_cast<size_t>(i)].matmul(ub[static_cast<size_t>(j)].t());
          auto match = linear_assignment(-dots);
          const auto taken = dots.gather(1, torch::tensor(match, torch::kLong).unsqueeze(1));
          score[i][j] = taken.sum() + routers[i][j];
          pair_units[static_cast<size_t>(i)][static_cast<size_t>(j)] = std::move(match);
        }
      }
      const auto experts = pairs ? linear_assignment(-score) : iota(E);
      if (is_identity(experts)) experts_settled[b] = true;
      std::vector<Perm> hidden(static_cast<size_t>(E));
      for (int64_t i = 0; i < E; ++i) {
        const auto j = experts[static_cast<size_t>(i)];
        const auto& units = pair_units[static_cast<size_t>(i)][static_cast<size_t>(j)];
        if (j != i || !is_identity(units)) changed = true;
        hidden[static_cast<size_t>(i)] = compose(p.hidden[b][static_cast<size_t>(j)], units);
      }
      p.experts[b] = compose(p.experts[b], experts);
      p.hidden[b] = std::move(hidden);
    }
    if (!changed) break;
  }
  result.units_moved = moved(p.residual);
  for (size_t b = 0; b < p.heads.size(); ++b) {
    result.units_moved += moved(p.heads[b]) + moved(p.experts[b]);
    for (const auto& h : p.hidden[b]) result.units_moved += moved(h);
  }
  result.similarity_after = similarity(reference, *permuted_copy(model, p));
  return result;
}

}  // namespace moescope
