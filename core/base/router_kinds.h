// The routing methods and their closed options, one registry each (docs/routers.md).
#pragma once

#include <algorithm>
#include <cstdint>

#include "base/choices.h"

namespace moescope {

enum class RouterKind { TopK, Switch, ExpertChoice, Hash, DenseToSparse, TopP };
enum class ScoreFunction { Softmax, Sigmoid };
// Over capacity, which assignments an expert drops.
enum class DropPolicy { Score, Position };

template <>
struct Choices<RouterKind> {
  static constexpr Choice<RouterKind> entries[] = {
      {RouterKind::TopK, "top_k", "softmax top-k (GShard, Mixtral)"},
      {RouterKind::Switch, "switch", "raw gates, with capacity (Switch Transformer)"},
      {RouterKind::ExpertChoice, "expert_choice", "each expert takes its best tokens"},
      {RouterKind::Hash, "hash", "fixed token-id map (Hash Layers, THOR)"},
      {RouterKind::DenseToSparse, "dense_to_sparse", "all experts, annealed to top-k (EvoMoE)"},
      {RouterKind::TopP, "top_p", "experts until their probability reaches p (DynaMoE)"},
  };
};

template <>
struct Choices<ScoreFunction> {
  static constexpr Choice<ScoreFunction> entries[] = {
      {ScoreFunction::Softmax, "softmax", "softmax over the experts"},
      {ScoreFunction::Sigmoid, "sigmoid", "a sigmoid per expert, normalised (DeepSeek-V3)"},
  };
};

template <>
struct Choices<DropPolicy> {
  static constexpr Choice<DropPolicy> entries[] = {
      {DropPolicy::Score, "score", "drop each expert's lowest-scored assignments"},
      {DropPolicy::Position, "position", "drop the latest assignments (GShard)"},
  };
};

// The most experts one token can be dispatched to (the slots of a routing trajectory):
// top_k, switch and hash give every token k experts; expert choice up to 2k (a token may be
// picked by several experts); dense-to-sparse starts with all of them; top-p at most max_k.
inline int64_t max_slots(RouterKind kind, int64_t top_k, int64_t experts, int64_t max_k) {
  switch (kind) {
    case RouterKind::DenseToSparse: return experts;
    case RouterKind::TopP: return std::min(max_k, experts);
    case RouterKind::ExpertChoice: return std::min(experts, 2 * top_k);
    case RouterKind::TopK:
    case RouterKind::Switch:
    case RouterKind::Hash: return top_k;
  }
  return top_k;
}

}  // namespace moescope
