// Permutation alignment of whole language models (weight matching, Ainsworth et al., "Git
// Re-Basin", 2023), so that two models trained apart can be merged in weight space. A
// transformer computes the same function when the units of a layer are permuted and the
// weights that read them follow: here the residual stream's d_model channels (embeddings,
// norms, every projection in and out of the stream), each block's attention heads (q, k, v
// rows and the output projection's columns), each FFN's hidden units (SwiGLU: gate and up
// rows with down's columns), and each MoE layer's experts (with their router rows and
// biases) and the hidden units inside each expert.
//
// match_weights finds, by coordinate descent, the permutations of `model` whose weights have
// the largest inner product with `reference`'s: each step solves one linear assignment
// (Hungarian method) with the others fixed. Experts are matched on their router rows plus the
// best hidden-unit matching of each pair of experts (every pair until the experts stay put,
// then each expert with its own).
#pragma once

#include <cstdint>
#include <vector>

#include "model/transformer_lm.h"

namespace moescope {

// Every permutation p reads "unit p[i] goes to place i".
struct ModelPermutation {
  std::vector<int64_t> residual;                       // [d_model]
  std::vector<std::vector<int64_t>> heads;             // per block: [heads]
  std::vector<std::vector<int64_t>> experts;           // per block: [E] (empty for a dense block)
  std::vector<std::vector<std::vector<int64_t>>> hidden;  // per block, per FFN (1 dense, E MoE): [hidden]

  static ModelPermutation identity(const TransformerLMImpl& model);
  bool is_identity() const;
};

// Permutes `model` in place: the same function, other unit order. Throws moescope::Error
// (changing nothing) for a model it cannot permute exactly: shared, zero-computation or
// constant experts, merged router logits, grouped routing, or a tensor it does not know.
void permute_model(TransformerLMImpl& model, const ModelPermutation& permutation);

struct AlignOptions {
  int64_t max_rounds = 5;  // coordinate-descent rounds; stops earlier when nothing changes
};

struct AlignResult {
  ModelPermutation permutation;  // apply to `model` to align it to `reference`
  int64_t rounds = 0;
  int64_t units_moved = 0;  // entries of all the permutations that are not in place
  double similarity_before = 0.0, similarity_after = 0.0;  // Σ ⟨W_reference, W_model⟩ over every tensor
};

// Throws moescope::Error when the models differ in shape or permute_model would refuse them.
AlignResult match_weights(const TransformerLMImpl& reference, const TransformerLMImpl& model,
                          const AlignOptions& options = {});

}  // namespace moescope
