// A held-out measurement as the JSON the recipe reports (upcycle, merge-models) write.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "base/events.h"

namespace moescope {

// {"validation_loss", "accuracy", "samples", "loss_by_domain": {domain: loss}}; `domains`
// names the entries of e.domain_loss.
nlohmann::json eval_json(const EvalResult& e, const std::vector<std::string>& domains);

}  // namespace moescope
