#include "surgery/calibration.h"

#include <algorithm>
#include <chrono>
#include <limits>

#include "base/error.h"

namespace moescope {
namespace {

constexpr int64_t kChunk = 2048;  // tokens per chunk when every expert runs on every token

torch::Tensor cat_rows(const std::vector<torch::Tensor>& parts, int64_t rows) {
  return torch::cat(parts).narrow(0, 0, rows).contiguous();
}

LayerCalibration derive(MoELayerImpl& layer, const CapturedInputs& captured, int64_t tokens) {
  LayerCalibration c;
  c.input = cat_rows(captured.x, tokens);
  if (!captured.token_ids.empty() && captured.token_ids.front().defined()) {
    c.token_ids = cat_rows(captured.token_ids, tokens);
  }
  if (!captured.modality.empty() && captured.modality.front().defined()) {
    c.modality = cat_rows(captured.modality, tokens);
  }
  TORCH_CHECK(c.modality.defined() || layer.options.expert_modality().empty(),
              "calibration: a layer with modality groups saw tokens without their modality");
  c.sequence_length = captured.sequence_length;
  c.output = layer_output(layer, c);

  const int64_t E = layer.options.experts(), R = layer.options.routed_experts();
  auto routing = layer.route(c.input, c.token_ids, c.sequence_length, c.modality);
  c.logits = routing.logits.to(torch::kFloat32);
  if (layer.logit_map.defined()) {
    // A merged expert's logit: the log of its logits' summed exponentials, so a softmax over
    // experts gives each the probability mass of its logits.
    const auto map = layer.logit_map.to(c.logits.device());
    auto merged = torch::full({c.logits.size(0), R}, -std::numeric_limits<float>::infinity(), c.logits.options());
    const auto peak = std::get<0>(c.logits.max(1, /*keepdim=*/true));
    const auto mass = torch::zeros({c.logits.size(0), R}, c.logits.options()).index_add(1, map, (c.logits - peak).exp());
    merged = torch::where(mass > 0, mass.log() + peak, merged);
    c.logits = merged;
  }
  const auto order = torch::argsort(routing.expert, /*stable=*/true);
  c.token = routing.token.index_select(0, order);
  c.expert = routing.expert.index_select(0, order);
  c.gate = routing.weight.index_select(0, order).to(torch::kFloat32);
  c.counts = expert_counts(routing.expert, R, torch::kFloat32);

  // Each FFN assignment's expert output: the FFN assignments come first in expert order.
  const auto counts = expert_counts(routing.expert, R, torch::kInt64).to(torch::kCPU);
  std::vector<int64_t> ffn_counts(counts.data_ptr<int64_t>(), counts.data_ptr<int64_t>() + E);
  int64_t n_ffn = 0;
  for (auto n : ffn_counts) n_ffn += n;
  const auto dtype = c.input.scalar_type();
  const auto w_in = layer.w_in.to(dtype), w_out = layer.w_out.to(dtype);
  c.routed_output = expert_ffn(c.input.index_select(0, c.token.narrow(0, 0, n_ffn)), w_in, w_out,
                               ffn_counts, layer.options.expert_kernel());
  const auto norms = c.routed_output.norm(2, 1).to(torch::kFloat32) * c.gate.narrow(0, 0, n_ffn);
  c.gated_norm = torch::zeros({E}, norms.options()).index_add_(0, c.expert.narrow(0, 0, n_ffn), norms);

  // Every FFN expert on every token (with modality groups, every token its group may
  // receive), in chunks so that 64 experts stay within memory.
  c.mean_output = torch::zeros({E, c.input.size(1)}, c.input.options().dtype(torch::kFloat32));
  const auto allowed = c.modality.defined() ? layer.allowed_experts(c.modality).narrow(1, 0, E).to(torch::kFloat32)
                                            : torch::ones({tokens, E}, c.mean_output.options());  // [N, E]
  for (int64_t first = 0; first < tokens; first += kChunk) {
    const int64_t n = std::min(kChunk, tokens - first);
    const auto outputs = layer.expert_outputs(c.input.narrow(0, first, n)).to(torch::kFloat32);  // [E, n, d]
    c.mean_output += (outputs * allowed.narrow(0, first, n).t().unsqueeze(2)).sum(1);
  }
  c.mean_output /= allowed.sum(0).clamp_min(1.0).unsqueeze(1);
  return c;
}

}  // namespace

int64_t calibration_bytes(const std::vector<MoELayer>& layers, int64_t tokens) {
  int64_t bytes = 0;
  for (const auto& layer : layers) {
    const auto& o = layer->options;
    const int64_t d = o.d_model(), R = o.routed_experts(), k = o.top_k();
    // input, output and the routed outputs ([N, d] each, k of them per token), the logits,
    // the assignments, and the layer's inputs while the pass runs.
    bytes += tokens * (d * 4 * (3 + k) + R * 4 + k * 20);
  }
  return bytes;
}

torch::Tensor layer_output(MoELayerImpl& layer, const LayerCalibration& cache) {
  torch::NoGradGuard no_grad;
  const bool training = layer.is_training();
  layer.eval();
  std::vector<torch::Tensor> parts;
  const int64_t N = cache.input.size(0);
  // Whole sequences per chunk, so sequence-level statistics see what training saw.
  const int64_t step = cache.sequence_length > 0 ? std::max<int64_t>(1, 8192 / cache.sequence_length) * cache.sequence_length : 8192;
  for (int64_t first = 0; first < N; first += step) {
    const int64_t n = std::min(step, N - first);
    parts.push_back(layer.forward(cache.input.narrow(0, first, n),
                                  cache.token_ids.defined() ? cache.token_ids.narrow(0, first, n) : torch::Tensor(),
                                  cache.sequence_length,
                                  cache.modality.defined() ? cache.modality.narrow(0, first, n) : torch::Tensor())
                        .y.to(torch::kFloat32));
  }
  layer.train(training);
  return torch::cat(parts);
}

double reconstruction_error(MoELayerImpl& changed, const LayerCalibration& cache) {
  const auto h = cache.output;
  return (layer_output(changed, cache) - h).pow(2).sum().item<double>() /
         std::max(h.pow(2).sum().item<double>(), 1e-30);
}

CalibrationCache calibrate(std::vector<MoELayer> layers, int64_t tokens,
                           const std::function<int64_t()>& forward_batch,
                           const std::function<bool(double)>& progress) {
  if (layers.empty()) throw Error("calibration: the model has no MoE layer to calibrate");
  if (tokens < 1) throw Error("calibration: needs at least one token");
  const auto start = std::chrono::steady_clock::now();
  torch::NoGradGuard no_grad;
  std::vector<CapturedInputs> captured(layers.size());
  std::vector<bool> training;
  for (size_t l = 0; l < layers.size(); ++l) {
    training.push_back(layers[l]->is_training());
    layers[l]->eval();
    layers[l]->capture = &captured[l];
  }
  const auto release = [&] {
    for (size_t l = 0; l < layers.size(); ++l) {
      layers[l]->capture = nullptr;
      layers[l]->train(training[l]);
    }
  };
  const auto report = [&](double share) {
    if (progress && !progress(share)) {
      release();
      throw Error("calibration cancelled");
    }
  };
  int64_t seen = 0;
  try {
    while (seen < tokens) {
      const int64_t n = forward_batch();
      if (n <= 0) break;
      seen += n;
      report(0.5 * std::min(1.0, double(seen) / double(tokens)));
    }
  } catch (...) {
    release();
    throw;
  }
  for (auto& layer : layers) layer->capture = nullptr;
  CalibrationCache cache;
  cache.tokens = std::min(seen, tokens);
  try {
    if (seen == 0) throw Error("calibration: no tokens came through the model");
    for (size_t l = 0; l < layers.size(); ++l) {
      if (captured[l].x.empty()) throw Error("calibration: MoE layer " + std::to_string(l) + " saw no tokens");
      cache.layers.push_back(derive(*layers[l], captured[l], cache.tokens));
      captured[l] = {};  // the concatenated copy is in the cache now
      report(0.5 + 0.5 * double(l + 1) / double(layers.size()));
    }
  } catch (...) {
    release();
    throw;
  }
  release();
  cache.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return cache;
}

}  // namespace moescope
