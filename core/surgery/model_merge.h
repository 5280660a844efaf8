// Weight-space merging of whole models of one architecture: the linear average (model soups),
// task arithmetic (Ilharco et al., 2023) and TIES-merging (Yadav et al., 2023), the last two
// on each model's difference from a base model (its task vector).
//
// TIES, per tensor (as mergekit does it): trim each task vector to its `density` share of
// entries largest in magnitude, elect each entry's sign as the sign of the trimmed vectors'
// sum, and average, per entry, only the trimmed values that agree with the elected sign; the
// result is base + λ · that mean.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

namespace moescope {

enum class ModelMergeMethod { linear, task_arithmetic, ties };
ModelMergeMethod parse_model_merge_method(const std::string& name);  // throws std::invalid_argument
const char* model_merge_method_name(ModelMergeMethod method);

struct ModelMergeOptions {
  ModelMergeMethod method = ModelMergeMethod::linear;
  // linear: the models' weights (empty: equal, 1/n each; otherwise one per model, summing to
  // the scale they are meant to have, usually 1).
  std::vector<double> weights;
  double lambda = 1.0;   // task arithmetic, TIES: scale of the merged task vector
  double density = 0.2;  // TIES: share of each task vector's entries kept, in (0, 1]
};

// One merged tensor from the same tensor of every model (and of the base for task
// arithmetic and TIES; `base` is ignored by linear). Throws moescope::Error on a shape
// mismatch or missing base, naming `name`.
torch::Tensor merge_tensors(const std::string& name, const std::vector<torch::Tensor>& models,
                            const torch::Tensor& base, const ModelMergeOptions& options);

// Writes into `target` the merge of every parameter and buffer of `models` (same names and
// shapes as target's); `base` (may be null for linear) gives the task vectors. Throws
// moescope::Error, leaving target unchanged, naming the first tensor whose name or shape does
// not match.
void merge_modules(torch::nn::Module& target, const std::vector<const torch::nn::Module*>& models,
                   const torch::nn::Module* base, const ModelMergeOptions& options);

}  // namespace moescope
