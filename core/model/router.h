// Routers: which experts each token visits and with what gate weight.
//
// A linear gate scores every expert; the options of RouterConfig (train/config.h) then choose
// the scoring (softmax or sigmoid), the selection (top-k, Switch with capacity, expert choice,
// hash, dense-to-sparse, top-p) and the balancing (auxiliary loss, sequence-level loss,
// aux-loss-free bias, Sinkhorn). Every router produces the same flat list of dispatched
// assignments (token, expert, gate), so one dispatch serves them all. docs/routers.md
// describes each method.
#pragma once

#include <torch/torch.h>

#include "base/options.h"

namespace moescope {


// Assignments per expert: indices [T, k] (or [A]) -> [E] counts, on the indices' device
// without a host sync.
torch::Tensor expert_counts(const torch::Tensor& indices, int64_t experts,
                            torch::ScalarType dtype = torch::kFloat32);
// E * sum_e f_e * P_e with f_e = counts[e] / sum(counts) and P_e the mean gate probability.
torch::Tensor load_balancing_loss(const torch::Tensor& probs, const torch::Tensor& counts);
torch::Tensor router_z_loss(const torch::Tensor& logits);

// Sinkhorn-Knopp: alternately normalises the columns (experts) and rows (tokens) of
// exp(logits) so every expert receives the same total mass; rows sum to 1 on return.
torch::Tensor sinkhorn(const torch::Tensor& logits, int64_t iterations);

// Keeps at most `capacity` assignments per expert; the rest are dropped. DropPolicy::Score
// keeps each expert's highest-scored assignments, Position the earliest (slot-major:
// every token's first choice before any second choice, then token order; GShard).
// Returns a bool mask [A] of kept assignments.
torch::Tensor capacity_keep_mask(const torch::Tensor& expert, const torch::Tensor& score,
                                 const torch::Tensor& token, const torch::Tensor& slot,
                                 int64_t experts, int64_t capacity, DropPolicy policy);

// One routing decision for T tokens over E experts.
struct Routing {
  torch::Tensor logits;  // [T, E] float32 after the temperature
  torch::Tensor probs;   // [T, E] each token's score distribution (softmax, or sigmoid / sum)
  // Dispatched assignments (after capacity drops), in no particular order.
  torch::Tensor token;   // [A] int64
  torch::Tensor expert;  // [A] int64
  torch::Tensor weight;  // [A] gate weight, differentiable
  torch::Tensor selected_counts;  // [E] float: assignments selected before capacity drops
  torch::Tensor counts;           // [E] float: assignments dispatched
  torch::Tensor dropped;  // scalar: share of selected assignments dropped by capacity
                          // (expert choice: share of tokens no expert took)
  // [T, k + 1] each token's best selection scores (k columns when k = E); undefined for
  // expert choice and hash. Snapshots derive the top-k margin from it.
  torch::Tensor top_scores;
  torch::Tensor aux_loss;      // scalar: batch-level balance loss on the selected routing
  torch::Tensor seq_aux_loss;  // scalar: sequence-level balance loss (0 without sequences)
  torch::Tensor z_loss;        // scalar
  int64_t slots = 0;           // most experts one token can get
  torch::Tensor skipped;       // scalar: share of dispatched assignments skipped (skip_beta), or undefined
};

// Cloneable the LibTorch way: the constructor keeps the options and reset() registers the
// parameters and buffers, so clone() deep-copies the weights, the aux-loss-free bias and the
// hash table, and the copy shares no tensor with the original.
struct RouterImpl : torch::nn::Cloneable<RouterImpl> {
  // experts: all routed experts (FFN and zero-computation); seed fixes the hash table.
  // config is fixed from here on; its temperature, capacity factor and bias balancing are the
  // initial runtime() settings.
  RouterImpl(int64_t d_model, int64_t experts, int64_t top_k, RouterConfig config,
             int64_t vocab = 256, uint64_t seed = 0);
  void reset() override;
  // x: [T, d]; token_ids [T] (hash routing); sequence_length splits T into sequences for
  // the sequence-level loss (0 = one sequence). allowed [T, E] bool (modality groups): a
  // token is routed among its allowed experts only, its scores softmaxed over them; with
  // expert choice each expert picks among the tokens allowed to it, its capacity in
  // proportion to how many there are. Undefined: every expert. Not for hash routing.
  Routing forward(const torch::Tensor& x, const torch::Tensor& token_ids = {},
                  int64_t sequence_length = 0, const torch::Tensor& allowed = {});

  // Settings that change while a run goes on; set_runtime throws on values out of range.
  const RouterRuntime& runtime() const { return runtime_; }
  void set_runtime(const RouterRuntime& runtime);

  // dense_to_sparse follows the run's progress.
  void set_progress(int64_t step, int64_t total_steps);
  double effective_temperature() const;
  int64_t effective_top_k() const;
  // Aux-loss-free balancing: moves each expert's selection bias by bias_rate towards equal
  // load, using the selection of the last training forward. No-op when it is off.
  void update_balance_bias();

  int64_t d_model;
  int64_t experts;
  int64_t top_k;
  int64_t vocab;
  uint64_t seed;
  RouterConfig config;

  torch::Tensor weight;        // [E, d]
  torch::Tensor logit_bias;    // [E] learned (config.bias), else undefined
  torch::Tensor balance_bias;  // [E] buffer: aux-loss-free selection bias
  torch::Tensor hash_table;    // [vocab, top_k] buffer: fixed token -> experts map (hash)
  torch::Tensor last_selected_counts;  // [E], kept for update_balance_bias; not cloned

 private:
  RouterRuntime runtime_;
  int64_t step_ = 0;
  int64_t total_steps_ = 1;
};
TORCH_MODULE(Router);

}  // namespace moescope
