// rlarena envs [--json]: the registered env ids with their spaces and time limits.
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/options.h"
#include "envs/core/registry.h"

namespace rlarena::cli {

int cmd_envs(const Args& args) {
  po::options_description options("envs options");
  options.add_options()("json", po::bool_switch(), "print one JSON array instead of a table");
  po::variables_map vm;
  if (!parse("envs", "[--json]", args, options, {}, vm)) return 0;

  const Registry& registry = Registry::global();
  nlohmann::json list = nlohmann::json::array();
  for (const auto& id : registry.ids()) {
    const auto env = registry.make(id);
    const EnvSpec& spec = env->spec();
    nlohmann::json j;
    j["id"] = id;
    j["observation_space"] = env->observation_space().repr();
    j["action_space"] = env->action_space().repr();
    j["max_episode_steps"] = spec.max_episode_steps;
    j["reward_threshold"] = spec.reward_threshold ? nlohmann::json(*spec.reward_threshold) : nlohmann::json();
    j["state"] = env->state_names();
    list.push_back(j);
  }
  if (vm["json"].as<bool>()) {
    std::cout << list.dump(2) << "\n";
    return 0;
  }
  std::cout << std::left << std::setw(28) << "id" << std::setw(10) << "max_steps" << std::setw(27)
            << "action_space"
            << "observation_space\n";
  for (const auto& j : list)
    std::cout << std::setw(28) << j["id"].get<std::string>() << std::setw(10)
              << j["max_episode_steps"].get<int64_t>() << std::setw(27)
              << j["action_space"].get<std::string>() << j["observation_space"].get<std::string>()
              << "\n";
  return 0;
}

}  // namespace rlarena::cli
