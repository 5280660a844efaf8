// Upcycling a dense language-model checkpoint into an MoE one (surgery/upcycle.h), with the
// cost measured on the held-out split before any training: the dense model's and the
// upcycled model's validation loss, overall and per language.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/events.h"
#include "engine/session.h"
#include "surgery/upcycle.h"

namespace moescope {

struct UpcycleRequest {
  int64_t experts = 8;  // FFN experts per MoE layer, each a copy of the dense FFN
  int64_t top_k = 1;    // 1 keeps the dense model's active size; 2 doubles the FFN's
  UpcycleOptions options;  // options.router_tokens is filled from router_texts
  // Router initialisation from example texts: expert e learns its router row from file
  // e mod (number of files), so 4 files for 8 experts give experts e and e + 4 the same text.
  // Empty: random router initialisation.
  std::vector<std::string> router_texts;
  int64_t router_sequences = 32;  // sequences of the model's context read from each file
  // Router initialisation from the corpus itself when no router_texts are given: expert e
  // learns its row from training text of language e mod (number of languages).
  bool router_hidden = false;
  std::string device;   // "" keeps the checkpoint's
  int64_t threads = -1;
};

struct UpcycleReport {
  UpcycleRequest request;
  std::vector<std::string> router_sources;  // per expert: the text its router row came from (hidden init)
  std::vector<UpcycleLayer> layers;
  std::vector<std::string> domains;  // of the per-domain losses
  EvalResult dense, upcycled;        // held-out, before any training of the MoE
  int64_t dense_steps = 0, dense_tokens = 0;  // what the dense checkpoint had trained
  int64_t parameters_dense = 0, active_dense = 0, parameters_moe = 0, active_moe = 0;
  double seconds = 0.0;
};

// Loads the dense checkpoint (a language model with model.ffn = "dense"), builds a session of
// its config with model.ffn = "moe", request.experts and request.top_k (experts of the dense
// FFN's hidden size, no shared or fine-grained experts), upcycles the weights and measures
// both models. Returns the MoE session at step 0, ready to save or train. Throws
// moescope::Error naming the checkpoint when it is not a dense language model, or the request
// does not fit (top_k above experts, a drop ratio outside [0, 1]).
std::unique_ptr<Session> upcycle_checkpoint(const std::string& dense_checkpoint, const UpcycleRequest& request,
                                            UpcycleReport& report);

nlohmann::json to_json(const UpcycleReport& report);

}  // namespace moescope
