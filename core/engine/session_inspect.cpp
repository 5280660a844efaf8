// Session::inspect: a model's text run through it once, without training (moescope-cli
// inspect, File > Open model), each batch a step with its loss and routing.
#include <chrono>

#include "base/error.h"
#include "engine/precision.h"
#include "engine/session.h"
#include "inspect/routing_stats.h"
#include "train/task.h"

namespace moescope {

void Session::prepare_inspect() {
  if (inspect_batches_) return;
  auto batches = std::make_shared<std::vector<Batch>>(task_->text_batches());
  if (batches->empty()) {
    throw Error("inspect needs a model with text to run through it (a Hugging Face model folder and text files)");
  }
  info_.total_steps = step_ + int64_t(batches->size());
  inspect_batches_ = std::move(batches);
}

Session::InspectResult Session::inspect(const std::function<void(int64_t, int64_t)>& progress, bool finish) {
  prepare_inspect();
  const auto owned = std::move(inspect_batches_);
  const auto& batches = *owned;
  for (auto* o : observers_) o->on_run_info(info_);
  publish_state(RunState::Running);
  torch::NoGradGuard no_grad;
  auto module = task_->module();
  module->eval();
  const auto layers = task_->moe_layers();
  InspectResult result;
  std::vector<torch::Tensor> load(layers.size());
  DomainLoss by_domain(info_.domains.size());
  double loss_sum = 0.0;
  TrajectorySnapshot probe;
  std::vector<float> probe_similarity;
  for (size_t i = 0; i < batches.size(); ++i) {
    const auto start = std::chrono::steady_clock::now();
    const auto& batch = batches[i];
    for (auto layer : layers) {
      layer->record_routing = true;
      layer->routing_tags = RoutingTags{batch.domain, info_.domains.size()};
    }
    ModelOutput out;
    torch::Tensor token_loss;
    {
      AutocastScope autocast(device_, bf16_);
      out = task_->forward(batch.input);
      token_loss = torch::nn::functional::cross_entropy(
          out.logits.reshape({-1, out.logits.size(-1)}).to(torch::kFloat32), batch.target.reshape(-1),
          torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
    }
    by_domain.add(token_loss, batch.domain);
    const double batch_sum = token_loss.sum().item<double>();
    loss_sum += batch_sum;
    result.tokens += token_loss.numel();
    ++step_;
    tokens_ += batch.tokens;
    StepMetrics m;
    m.step = step_;
    m.tokens = tokens_;
    m.loss = batch_sum / double(token_loss.numel());
    m.aux_loss = out.aux_loss.item<double>();
    m.z_loss = out.z_loss.item<double>();
    m.lr = 0.0;
    m.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    m.tokens_per_s = double(batch.tokens) / (m.ms / 1000.0);
    for (auto* o : observers_) o->on_step(m);
    for (size_t l = 0; l < layers.size(); ++l) {
      const auto counts = layers[l]->last_routing.counts.to(torch::kCPU, torch::kFloat64);
      load[l] = load[l].defined() ? load[l] + counts : counts;
    }
    if (!layers.empty()) {
      auto snap = make_routing_snapshot(layers, step_, info_.domains);
      // Nothing trains while the text goes through: the probe's routing and the experts'
      // similarity (every expert on the probe tokens, as costly as a batch's experts with
      // 64 experts top-8) are the same at every step, so they are measured once.
      if (i == 0) {
        probe = run_probe(layers, snap);
        module->eval();  // run_probe leaves the module training
        probe_similarity = snap.similarity;
      } else {
        snap.similarity = probe_similarity;
        snap.stability.assign(layers.size(), 0.0f);  // no probe token changed its expert
        probe.step = step_;
      }
      publish_routing(std::move(snap), probe);
    }
    for (auto layer : layers) {
      layer->record_routing = false;
      layer->routing_tags = {};
    }
    if (progress) progress(int64_t(i + 1), int64_t(batches.size()));
  }
  result.loss = loss_sum / double(std::max<int64_t>(result.tokens, 1));
  result.domain_loss = by_domain.means();
  for (const auto& l : load) {
    const auto share = l / l.sum().clamp_min(1.0);
    result.layer_load.emplace_back(share.data_ptr<double>(), share.data_ptr<double>() + share.numel());
  }
  EvalResult eval;
  eval.step = step_;
  eval.loss = result.loss;
  eval.domain_loss = result.domain_loss;
  eval.samples = int64_t(batches.size());
  for (auto* o : observers_) o->on_eval(eval);
  module->train();
  if (finish) publish_state(RunState::Finished);
  return result;
}

}  // namespace moescope
