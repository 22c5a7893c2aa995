// Helpers of the agent tests: recipes of an algorithm's keys with a few values set.
#pragma once
#include <map>
#include <string>

#include "agents/algorithms.h"

namespace agent_test {

inline rlarena::Recipe recipe_of(const std::string& algo, const std::map<std::string, std::string>& values) {
  rlarena::RawConfig given{{"algo", {algo}}};
  for (const auto& [k, v] : values) given[k].push_back(v);
  return rlarena::Recipe(rlarena::find_algorithm(algo).keys, given);
}

}  // namespace agent_test
