#include "config_diff.h"

#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace moescope {
namespace {

void flatten(const nlohmann::json& value, const std::string& prefix, std::map<std::string, std::string>& out) {
  if (value.is_object() && !value.empty()) {
    for (const auto& [key, child] : value.items()) flatten(child, prefix.empty() ? key : prefix + "." + key, out);
    return;
  }
  out[prefix] = value.dump();
}

}  // namespace

std::vector<ConfigDifference> config_diff(const std::vector<std::string>& configs_json) {
  std::vector<std::map<std::string, std::string>> flat(configs_json.size());
  std::map<std::string, bool> keys;  // sorted union of the keys
  for (size_t i = 0; i < configs_json.size(); ++i) {
    const auto config = nlohmann::json::parse(configs_json[i], nullptr, /*allow_exceptions=*/false);
    if (!config.is_object())
      throw std::invalid_argument("config " + std::to_string(i + 1) + " is not a JSON object");
    flatten(config, "", flat[i]);
    for (const auto& entry : flat[i]) keys[entry.first] = true;
  }
  std::vector<ConfigDifference> out;
  for (const auto& entry : keys) {
    ConfigDifference d{entry.first, {}};
    bool differs = false;
    for (const auto& run : flat) {
      const auto it = run.find(entry.first);
      d.values.push_back(it == run.end() ? std::nullopt : std::optional<std::string>(it->second));
      differs = differs || d.values.back() != d.values.front();
    }
    if (differs) out.push_back(std::move(d));
  }
  return out;
}

}  // namespace moescope
