// The keys in which runs' configs differ (Runs panel > Compare): each config (the JSON a run
// log keeps in its root's config attribute) is flattened to dotted keys ("model.experts",
// "router.kind"; arrays stay one value), and a key is kept when its value is not the same in
// every run, a key missing from a run counting as a difference.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace moescope {

struct ConfigDifference {
  std::string key;
  // One per config, in order: the value as compact JSON, or nothing where the key is absent.
  std::vector<std::optional<std::string>> values;
};

// Throws std::invalid_argument naming the config's index when one is not a JSON object.
std::vector<ConfigDifference> config_diff(const std::vector<std::string>& configs_json);

}  // namespace moescope
