#include "engine/eval_json.h"

namespace moescope {

nlohmann::json eval_json(const EvalResult& e, const std::vector<std::string>& domains) {
  nlohmann::json by_domain = nlohmann::json::object();
  for (size_t d = 0; d < e.domain_loss.size() && d < domains.size(); ++d) by_domain[domains[d]] = e.domain_loss[d];
  return {{"validation_loss", e.loss}, {"accuracy", e.accuracy}, {"samples", e.samples},
          {"loss_by_domain", by_domain}};
}

}  // namespace moescope
