#include "engine/session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <type_traits>

#include "engine/device.h"
#include "engine/precision.h"
#include "engine/surgery_sweep.h"
#include "base/error.h"
#include "inspect/routing_stats.h"
#include "model/vision_moe.h"
#include "surgery/merge.h"
#include "surgery/prune.h"
#include "train/checkpoint.h"
#include "train/schedule.h"
#include "train/task.h"

namespace moescope {
namespace {

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return text;
}

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace

Session::Session(RunConfig config)
    : config_(std::move(config)), device_(torch::kCPU) {
  validate(config_);
  if (config_.threads > 0) torch::set_num_threads(static_cast<int>(config_.threads));
  device_ = resolve_device(config_.device);
  bf16_ = uses_bf16_autocast(config_.precision, device_);
  torch::manual_seed(static_cast<uint64_t>(config_.train.seed));
  task_ = make_task(config_, device_);

  // Weight decay on the maps (matrices); none on vectors (norms, biases) and on the lookup
  // tables the model declares.
  std::vector<torch::Tensor> decay, no_decay;
  const auto tables = task_->embeddings();
  if (config_.train.trainable == "experts") {  // the MoE layers' experts and routers only
    std::vector<torch::Tensor> moe_params;
    for (const auto& layer : task_->moe_layers())
      for (const auto& p : layer->parameters()) moe_params.push_back(p);
    for (auto& p : task_->module()->parameters()) {
      const bool moe = std::any_of(moe_params.begin(), moe_params.end(), [&](const torch::Tensor& t) { return t.is_same(p); });
      if (!moe) p.set_requires_grad(false);
    }
  }
  for (const auto& p : task_->module()->parameters()) {
    if (!p.requires_grad()) continue;
    const bool table = std::any_of(tables.begin(), tables.end(),
                                   [&](const torch::Tensor& t) { return t.is_same(p); });
    (p.dim() >= 2 && !table ? decay : no_decay).push_back(p);
  }
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(
                                 torch::optim::AdamWOptions(config_.train.lr)
                                     .betas({0.9, 0.95})
                                     .weight_decay(config_.train.weight_decay)));
  groups.emplace_back(no_decay, std::make_unique<torch::optim::AdamWOptions>(
                                    torch::optim::AdamWOptions(config_.train.lr)
                                        .betas({0.9, 0.95})
                                        .weight_decay(0.0)));
  optimizer_ = std::make_unique<torch::optim::AdamW>(std::move(groups));
  peak_lr_ = config_.train.lr;
  balance_coef_ = config_.train.balance_coef;

  int64_t parameters = 0;
  for (const auto& p : task_->module()->parameters()) parameters += p.numel();
  info_.preset = config_.preset;
  info_.task = config_.model.task;
  info_.config_json = to_json_string(config_);
  info_.model_summary = task_->summary();
  info_.device = describe_device(device_) + (bf16_ ? ", bf16 autocast" : ", float32");
  info_.start_time = utc_now();
  const auto& m = config_.model;
  // The MoE layers the routing views show: none for a dense model, which logs its loss and
  // evaluations only.
  const auto shape = model_shape(task_->moe_layers());
  info_.layers = int64_t(shape.layers.size());
  info_.experts = shape.max_experts();
  info_.layer_experts = shape.layer_experts();
  info_.shape = shape;
  if (info_.layers > 0) {
    info_.top_k = m.routed_top_k();
    info_.router = name_of(config_.router.kind);
    int64_t widest = 0;  // FFN experts of the widest layer (pruned layers have fewer)
    for (int64_t l = 0; l < info_.layers; ++l) widest = std::max(widest, m.layer_ffn_experts(l));
    info_.expert_types.assign(size_t(widest), "ffn");
    info_.expert_types.insert(info_.expert_types.end(), size_t(m.zero_experts), "zero");
    info_.expert_types.insert(info_.expert_types.end(), size_t(m.copy_experts), "copy");
    info_.expert_types.insert(info_.expert_types.end(), size_t(m.constant_experts), "constant");
    info_.shared_experts = m.shared_experts;
  } else {
    info_.top_k = 0;
    info_.router = "none";
  }
  probe_input_ = task_->probe_input();
  info_.probe_text = task_->probe_text();
  info_.probe_token_texts = task_->probe_token_texts();
  info_.probe_image = task_->probe_image();
  info_.domains = task_->domains();
  info_.probe_tokens = task_->probe_tokens();
  if (info_.layers == 0) {  // nothing routed: no probe tokens to follow
    info_.probe_text.clear();
    info_.probe_token_texts.clear();
    info_.probe_tokens = 0;
  }
  const auto& r = config_.router;
  info_.probe_slots = info_.layers > 0 ? max_slots(r.kind, info_.top_k, info_.experts, r.max_k) : 0;
  CollapseThresholds thresholds;
  const int64_t warmup = effective_warmup(config_.train);
  thresholds.grace_steps = std::min(std::max<int64_t>(warmup, 50), config_.train.steps / 2);
  detector_ = std::make_unique<CollapseDetector>(info_.top_k, thresholds);
  detector_->set_modality_groups(info_.shape, info_.domains.modalities);
  info_.total_steps = config_.train.steps;
  info_.parameters = parameters;
  info_.active_parameters = task_->active_parameters();
}

Session::~Session() = default;

void Session::add_observer(SessionObserver* observer) { observers_.push_back(observer); }

void Session::post(Command command) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    commands_.push_back(std::move(command));
  }
  wake_.notify_all();
}

void Session::publish_state(RunState state, const std::string& message) {
  SessionState s;
  s.state = state;
  s.step = step_;
  s.total_steps = config_.train.steps;
  s.message = message;
  for (auto* o : observers_) o->on_state(s);
}

void Session::apply(const Command& command) {
  // Applies a change to every router's live settings; true when it changed anything.
  const auto change_routers = [this](const auto& change) {
    bool changed = false;
    for (auto& layer : task_->moe_layers()) {
      auto runtime = layer->router->runtime();
      change(runtime);
      if (runtime == layer->router->runtime()) continue;
      layer->router->set_runtime(runtime);
      changed = true;
    }
    return changed;
  };
  // A surgery the user asked for that cannot be done is said on the progress channel, where
  // the window shows the preview's progress; the run goes on.
  const auto report_surgery_failure = [this](const auto& surgery) {
    cancel_surgery_ = false;
    try {
      surgery();
    } catch (const Error& e) {
      for (auto* o : observers_) o->on_surgery_progress(1.0, std::string("failed: ") + e.what());
    }
  };
  std::visit(Overloaded{
                 [&](const PauseCommand&) {
                   if (!paused_) publish_state(RunState::Paused);
                   paused_ = true;
                 },
                 [&](const ResumeCommand&) {
                   if (paused_) publish_state(RunState::Running);
                   paused_ = false;
                 },
                 [&](const StopCommand&) { stop_ = true; },
                 [&](const SetLearningRate& c) {
                   if (c.lr > 0.0 && c.lr <= 1.0 && c.lr != peak_lr_) {
                     peak_lr_ = c.lr;
                     publish_intervention("lr", c.lr, "peak learning rate");
                   }
                 },
                 [&](const SetBalanceCoefficient& c) {
                   if (c.coefficient >= 0.0 && c.coefficient <= 100.0 &&
                       c.coefficient != balance_coef_) {
                     balance_coef_ = c.coefficient;
                     publish_intervention("balance_coef", c.coefficient,
                                          "load-balancing loss coefficient");
                   }
                 },
                 [&](const SetRouterTemperature& c) {
                   if (!(c.temperature > 0.0 && c.temperature <= 100.0)) return;
                   if (change_routers([&](RouterRuntime& r) { r.temperature = c.temperature; })) {
                     publish_intervention("temperature", c.temperature, "router temperature");
                   }
                 },
                 [&](const SetCapacityFactor& c) {
                   if (!(c.capacity_factor >= 0.0 && c.capacity_factor <= 64.0)) return;
                   if (change_routers([&](RouterRuntime& r) { r.capacity_factor = c.capacity_factor; })) {
                     publish_intervention("capacity_factor", c.capacity_factor,
                                          c.capacity_factor == 0.0 ? "dropless" : "capacity factor");
                   }
                 },
                 [&](const SetBiasBalancing& c) {
                   if (!(c.rate >= 0.0 && c.rate <= 1.0)) return;
                   const bool changed = change_routers([&](RouterRuntime& r) {
                     r.bias_balancing = c.enabled;
                     r.bias_rate = c.rate;
                   });
                   if (!changed) return;
                   publish_intervention("bias_balancing", c.enabled ? c.rate : 0.0,
                                        c.enabled ? "aux-loss-free bias balancing on, rate " +
                                                        std::to_string(c.rate)
                                                  : "aux-loss-free bias balancing off");
                 },
                 [&](const ReinitDeadExperts& c) {
                   const auto detail = reinit_dead_experts(c);
                   publish_intervention("reinit_experts", c.utilisation, detail);
                 },
                 [&](const PreviewSurgery& c) { report_surgery_failure([&] { preview_surgery(c.request); }); },
                 [&](const ApplySurgery& c) { report_surgery_failure([&] { apply_surgery(c.preview_id); }); },
                 [&](const UndoSurgery&) { report_surgery_failure([&] { undo_surgery(); }); },
                 [&](const SweepSurgery& c) {
                   report_surgery_failure([&] {
                     sweep_surgery(*this, c.request, [this](double share, const std::string& what) {
                       for (auto* o : observers_) o->on_surgery_progress(share, "sweep: " + what);
                       return !cancel_surgery_.load();
                     });
                   });
                 },
                 [&](const SaveCheckpoint& c) {
                   try {
                     save_checkpoint(c.path);
                   } catch (const Error& e) {
                     publish_state(paused_ ? RunState::Paused : RunState::Running, e.what());
                   }
                 },
             },
             command);
}

bool Session::drain_commands() {
  for (;;) {
    std::deque<Command> pending;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (paused_ && !stop_ && commands_.empty()) {
        wake_.wait(lock, [&] { return !commands_.empty(); });
      }
      pending.swap(commands_);
    }
    for (const auto& c : pending) apply(c);
    if (stop_) return false;
    if (!paused_) return true;
  }
}

EvalResult Session::evaluate() {
  EvalResult result;
  {
    AutocastScope autocast(device_, bf16_);
    result = task_->evaluate();
  }
  result.step = step_;
  return result;
}

bool Session::forward_backward(StepMetrics& m, int64_t& tokens) {
  const auto& t = config_.train;
  auto batch = task_->next_batch();
  for (auto layer : task_->moe_layers()) {
    layer->routing_tags = layer->record_routing ? RoutingTags{batch.domain, info_.domains.size()} : RoutingTags{};
  }
  ModelOutput out;
  torch::Tensor task_loss;
  {
    AutocastScope autocast(device_, bf16_);
    out = task_->forward(batch.input);
    task_loss = task_->loss(out, batch.target);
  }
  auto total = task_loss + balance_coef_ * out.aux_loss + t.z_loss_coef * out.z_loss +
               out.extra_loss;
  m.loss = task_loss.item<double>();
  if (!std::isfinite(total.item<double>())) return false;
  m.aux_loss = out.aux_loss.item<double>();
  m.z_loss = out.z_loss.item<double>();
  tokens = batch.tokens;
  optimizer_->zero_grad();
  total.backward();
  return true;
}

std::string Session::first_non_finite() const {
  torch::NoGradGuard no_grad;
  const auto params = task_->module()->named_parameters();
  for (const auto& p : params) {
    if (!torch::isfinite(p.value()).all().item<bool>()) return "parameter " + p.key() + " holds NaN or Inf";
  }
  for (const auto& p : params) {
    const auto& g = p.value().grad();
    if (g.defined() && !torch::isfinite(g).all().item<bool>()) return "the gradient of " + p.key() + " is NaN or Inf";
  }
  return {};
}

double Session::apply_update() {
  double grad_norm = kNaN;
  if (config_.train.grad_clip > 0.0) {
    try {
      // Refuses a non-finite norm before it scales any gradient, so the bad one can be named.
      grad_norm = torch::nn::utils::clip_grad_norm_(task_->module()->parameters(),
                                                    config_.train.grad_clip, 2.0,
                                                    /*error_if_nonfinite=*/true);
    } catch (const c10::Error&) {
      return kNaN;  // no update
    }
  }
  optimizer_->step();
  return grad_norm;
}

void Session::train_step() {
  const auto start = std::chrono::steady_clock::now();
  const auto& t = config_.train;
  const double lr = peak_lr_ * lr_factor(step_, effective_warmup(t), t.steps, t.min_lr_ratio);
  for (auto& group : optimizer_->param_groups()) group.options().set_lr(lr);

  const auto layers = task_->moe_layers();
  const bool snapshot =
      !layers.empty() && t.snapshot_every > 0 && (step_ + 1) % t.snapshot_every == 0;
  for (auto layer : layers) {
    layer->record_routing = snapshot;
    layer->router->set_progress(step_, t.steps);
  }

  StepMetrics m;
  int64_t batch_tokens = 0;
  if (!forward_backward(m, batch_tokens)) {
    const auto where = first_non_finite();
    paused_ = true;
    publish_state(RunState::Paused,
                  "loss is not finite at step " + std::to_string(step_ + 1) +
                      (where.empty() ? std::string(" (every weight is finite: the activations overflowed)") : " (" + where + ")") +
                      ": paused before the update; lower the learning rate, then resume");
    return;
  }
  // Between the backward pass and the update: where a data-parallel run averages its ranks'
  // gradients.
  if (reducer_) reducer_->reduce(task_->module()->parameters());
  m.grad_norm = apply_update();
  if (std::isnan(m.grad_norm) && config_.train.grad_clip > 0.0) {
    // A finite loss with a non-finite gradient: no update was made (apply_update).
    const auto where = first_non_finite();
    paused_ = true;
    publish_state(RunState::Paused,
                  "gradient is not finite at step " + std::to_string(step_ + 1) +
                      (where.empty() ? std::string() : " (" + where + ")") +
                      ": paused before the update; lower the learning rate, then resume");
    return;
  }
  for (auto layer : layers) layer->router->update_balance_bias();
  ++step_;
  tokens_ += batch_tokens;

  m.step = step_;
  m.tokens = tokens_;
  m.lr = lr;
  m.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  m.tokens_per_s = double(batch_tokens) / (m.ms / 1000.0);
  for (auto* o : observers_) o->on_step(m);

  for (auto layer : layers) {
    layer->record_routing = false;
    layer->routing_tags = {};
  }
  // A surgery an observer made in on_step (scripts, tests) leaves no routing of the model as
  // it is now: that step has no snapshot.
  const bool recorded = std::all_of(layers.begin(), layers.end(),
                                    [](const MoELayer& l) { return l->last_routing.counts.defined(); });
  if (snapshot && recorded) {
    auto snap = make_routing_snapshot(layers, step_, info_.domains);
    const auto trajectory = run_probe(layers, snap);
    publish_routing(std::move(snap), trajectory);
  }
  if ((t.eval_every > 0 && step_ % t.eval_every == 0) || step_ == t.steps) {
    const auto result = evaluate();
    for (auto* o : observers_) o->on_eval(result);
  }
}

void Session::publish_routing(RoutingSnapshot snap, const TrajectorySnapshot& trajectory) {
  const auto alerts = detector_->observe(snap);
  for (auto* o : observers_) o->on_routing(snap);
  for (auto* o : observers_) o->on_trajectory(trajectory);
  for (const auto& alert : alerts) {
    for (auto* o : observers_) o->on_alert(alert);
  }
  last_snapshot_ = std::move(snap);
}

TrajectorySnapshot Session::run_probe(const std::vector<MoELayer>& layers,
                                     RoutingSnapshot& snapshot) {
  torch::NoGradGuard no_grad;
  auto module = task_->module();
  module->eval();
  for (auto layer : layers) layer->record_probe = true;
  {
    AutocastScope autocast(device_, bf16_);
    task_->forward(probe_input_);
  }
  for (auto layer : layers) layer->record_probe = false;
  module->train();
  auto trajectory = make_trajectory(layers, step_, info_.probe_slots);
  snapshot.stability = routing_change(last_trajectory_, trajectory);
  snapshot.similarity = expert_similarity(layers);
  last_trajectory_ = trajectory;
  return trajectory;
}

void Session::publish_intervention(const std::string& kind, double value, const std::string& detail) {
  InterventionEvent e;
  e.step = step_;
  e.kind = kind;
  e.value = value;
  e.detail = detail;
  for (auto* o : observers_) o->on_intervention(e);
}

std::string Session::reinit_dead_experts(const ReinitDeadExperts& c) {
  const auto& s = last_snapshot_;
  if (s.load.empty()) return "no routing snapshot yet: nothing re-initialised";
  auto layers = task_->moe_layers();
  std::string detail;
  for (int64_t l = 0; l < int64_t(layers.size()) && l < s.layers; ++l) {
    if (c.layer >= 0 && l != c.layer) continue;
    const int64_t ffn = layers[size_t(l)]->options.experts();
    std::vector<int64_t> dead;
    int64_t donor = 0;
    for (int64_t e = 0; e < ffn; ++e) {
      if (s.load_at(l, e) * float(s.experts) < c.utilisation) dead.push_back(e);
      if (s.load_at(l, e) > s.load_at(l, donor)) donor = e;
    }
    if (dead.empty() || s.load_at(l, donor) <= 0.0f) continue;
    layers[size_t(l)]->reinit_experts(dead, donor, c.noise);
    std::string list;
    for (auto e : dead) list += (list.empty() ? "" : ", ") + std::to_string(e);
    detail += (detail.empty() ? "" : "; ") + std::string("layer ") + std::to_string(l) +
              ": expert" + (dead.size() > 1 ? "s " : " ") + list + " from expert " +
              std::to_string(donor);
  }
  return detail.empty() ? "no expert below utilisation " + std::to_string(c.utilisation) : detail;
}

void Session::prune_experts(const std::vector<std::vector<int64_t>>& keep) {
  const auto layers = task_->moe_layers();
  if (keep.size() != layers.size()) {
    throw Error("pruning: a plan for " + std::to_string(keep.size()) + " MoE layers, the model has " +
                std::to_string(layers.size()));
  }
  for (size_t l = 0; l < layers.size(); ++l) {  // every layer checked before any changes
    if (keep[l].empty()) continue;
    if (const auto why = prune_refusal(*layers[l], int64_t(keep[l].size())); !why.empty()) {
      throw Error("MoE layer " + std::to_string(l) + ": " + why);
    }
  }
  change_experts([&](size_t l, MoELayerImpl& layer, torch::optim::Optimizer* optimizer) {
    if (!keep[l].empty() && int64_t(keep[l].size()) < layer.options.experts()) keep_experts(layer, keep[l], optimizer);
  });
}

void Session::merge_experts(const std::vector<LayerMergePlan>& plans, const MergeOptions& options) {
  const auto layers = task_->moe_layers();
  if (plans.size() != layers.size()) {
    throw Error("merging: a plan for " + std::to_string(plans.size()) + " MoE layers, the model has " +
                std::to_string(layers.size()));
  }
  for (size_t l = 0; l < layers.size(); ++l) {
    if (const auto why = merge_refusal(*layers[l], int64_t(plans[l].groups.size()), options.router); !why.empty()) {
      throw Error("MoE layer " + std::to_string(l) + ": " + why);
    }
  }
  change_experts([&](size_t l, MoELayerImpl& layer, torch::optim::Optimizer* optimizer) {
    if (int64_t(plans[l].groups.size()) < layer.options.experts()) {
      moescope::merge_experts(layer, plans[l], options, optimizer);
    }
  });
}

void Session::change_experts(const std::function<void(size_t, MoELayerImpl&, torch::optim::Optimizer*)>& change) {
  auto layers = task_->moe_layers();
  auto& m = config_.model;
  std::vector<int64_t> counts;
  std::vector<std::vector<int64_t>> maps, modality;
  for (size_t l = 0; l < layers.size(); ++l) {
    change(l, *layers[l], optimizer_.get());
    counts.push_back(layers[l]->options.experts());
    maps.push_back(layers[l]->options.logit_to_expert());
    modality.push_back(layers[l]->options.expert_modality());
  }
  const bool uniform = std::all_of(counts.begin(), counts.end(), [&](int64_t n) { return n == m.ffn_experts(); });
  m.layer_experts = uniform ? std::vector<int64_t>{} : counts;
  const bool identity = std::all_of(maps.begin(), maps.end(), [](const auto& map) { return map.empty(); });
  m.layer_logit_map = identity ? std::vector<std::vector<int64_t>>{} : maps;
  // Fusion layouts: the groups the surviving experts serve (empty while nothing changed).
  const bool grouped = !modality.front().empty();
  m.layer_expert_modality = grouped && !(uniform && identity) ? modality : std::vector<std::vector<int64_t>>{};
  info_.config_json = to_json_string(config_);
  info_.shape = model_shape(layers);
  info_.experts = info_.shape.max_experts();
  info_.layer_experts = info_.shape.layer_experts();
  detector_->set_modality_groups(info_.shape, info_.domains.modalities);
  const int64_t widest = *std::max_element(counts.begin(), counts.end());
  info_.expert_types.erase(info_.expert_types.begin(), info_.expert_types.begin() +
                                                        std::count(info_.expert_types.begin(), info_.expert_types.end(), "ffn"));
  info_.expert_types.insert(info_.expert_types.begin(), size_t(widest), "ffn");
  int64_t parameters = 0;
  for (const auto& p : task_->module()->parameters()) parameters += p.numel();
  info_.parameters = parameters;
  info_.active_parameters = task_->active_parameters();
  last_snapshot_ = {};
  last_trajectory_ = {};
  if (quiet_) return;
  const ShapeChange change_event{step_, info_.shape};
  for (auto* o : observers_) o->on_shape_change(change_event);
}

void Session::run() {
  info_.total_steps = config_.train.steps;  // after an inspection, the steps it ran
  for (auto* o : observers_) o->on_run_info(info_);
  publish_state(paused_ ? RunState::Paused : RunState::Running);
  try {
    task_->module()->train();
    while (step_ < config_.train.steps) {
      if (!drain_commands()) {
        publish_state(RunState::Stopped);
        return;
      }
      train_step();
    }
  } catch (const std::exception& e) {
    publish_state(RunState::Failed, e.what());
    throw;
  }
  publish_state(RunState::Finished);
}

void Session::save_checkpoint(const std::string& path) {
  CheckpointMeta meta;
  meta.step = step_;
  meta.tokens = tokens_;
  meta.peak_lr = peak_lr_;
  meta.balance_coef = balance_coef_;
  meta.config_json = info_.config_json;
  meta.sampler_state = task_->sampler_state();
  meta.shape = model_shape(task_->moe_layers());
  for (const auto& layer : task_->moe_layers()) meta.routers.push_back(layer->router->runtime());
  meta.detector_state = detector_->state();
  moescope::save_checkpoint(path, *task_->module(), *optimizer_, meta);
}

void Session::load_checkpoint(const std::string& path) {
  auto meta = moescope::load_checkpoint(path, *task_->module(), *optimizer_, info_.config_json,
                                       model_shape(task_->moe_layers()));
  auto layers = task_->moe_layers();
  if (!meta.routers.empty()) {
    if (meta.routers.size() != layers.size()) {
      throw Error(path + ": checkpoint holds router settings for " +
                  std::to_string(meta.routers.size()) + " MoE layers, this model has " +
                  std::to_string(layers.size()));
    }
    for (size_t l = 0; l < layers.size(); ++l) layers[l]->router->set_runtime(meta.routers[l]);
  }
  task_->set_sampler_state(meta.sampler_state);
  if (!meta.detector_state.empty()) {
    try {
      detector_->restore_state(meta.detector_state);
    } catch (const Error& e) {
      throw Error(path + ": " + e.what() + " (corrupt checkpoint)");
    }
  }
  step_ = meta.step;
  tokens_ = meta.tokens;
  peak_lr_ = meta.peak_lr;
  balance_coef_ = meta.balance_coef;
  if (step_ > config_.train.steps) {
    throw Error(path + ": checkpoint is at step " + std::to_string(step_) +
                ", beyond the run's " + std::to_string(config_.train.steps) + " steps");
  }
}

}  // namespace moescope
