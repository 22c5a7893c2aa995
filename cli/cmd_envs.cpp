// rlarena envs [ID] [--check] [--json]: the registered env ids with their spaces and
// time limits; one env's options with defaults and meanings; conformance checks.
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/options.h"
#include "common/error.h"
#include "envs/core/check_env.h"
#include "envs/core/env_options.h"
#include "envs/core/registry.h"
#include "envs/multi/multi_registry.h"

namespace rlarena::cli {

namespace {

nlohmann::ordered_json describe(const std::string& id) {
  const auto env = Registry::global().make(id);
  const EnvSpec& spec = env->spec();
  nlohmann::ordered_json j;
  j["id"] = id;
  j["observation_space"] = env->observation_space().repr();
  j["action_space"] = env->action_space().repr();
  j["max_episode_steps"] = spec.max_episode_steps;
  j["reward_threshold"] = spec.reward_threshold ? nlohmann::json(*spec.reward_threshold) : nlohmann::json();
  j["state"] = env->state_names();
  j["info"] = env->info_keys();
  nlohmann::ordered_json kwargs = nlohmann::ordered_json::array();
  for (const EnvOption& o : env_options(id))
    kwargs.push_back({{"name", o.name}, {"default", o.default_value}, {"meaning", o.meaning}});
  j["kwargs"] = kwargs;
  return j;
}

// A multi-agent env: its agents, each agent's spaces, whether it is turn-based, its
// scripted players.
nlohmann::ordered_json describe_multi(const std::string& id) {
  const auto env = MultiRegistry::global().make(id);
  nlohmann::ordered_json j;
  j["id"] = id;
  j["multi_agent"] = true;
  j["agents"] = env->agents();
  j["turn_based"] = env->turn_based();
  nlohmann::ordered_json obs, act;
  for (int a = 0; a < env->num_agents(); ++a) {
    obs[env->agents()[a]] = env->observation_space(a).repr();
    act[env->agents()[a]] = env->action_space(a).repr();
  }
  j["observation_spaces"] = obs;
  j["action_spaces"] = act;
  j["max_episode_steps"] = env->spec().max_episode_steps;
  j["scripted_players"] = env->scripted_players();
  j["state"] = env->state_names();
  return j;
}

// Rows as columns padded to their widest cell (the last column is not padded).
void print_table(const std::vector<std::vector<std::string>>& rows, const std::string& indent = "") {
  std::vector<size_t> width;
  for (const auto& r : rows)
    for (size_t c = 0; c < r.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], r[c].size());
    }
  for (const auto& r : rows) {
    std::string line = indent;
    for (size_t c = 0; c < r.size(); ++c) line += c + 1 < r.size() ? r[c] + std::string(width[c] - r[c].size() + 2, ' ') : r[c];
    std::cout << line << "\n";
  }
}

int check(const std::string& id, const Kwargs& kwargs, bool json) {
  const auto checks = check_env(id, kwargs);
  const auto failed = std::count_if(checks.begin(), checks.end(), [](const EnvCheck& c) { return !c.passed; });
  if (json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& c : checks) out.push_back({{"check", c.name}, {"passed", c.passed}, {"detail", c.detail}});
    std::cout << out.dump(2) << "\n";
  } else {
    for (const auto& c : checks)
      std::cout << (c.passed ? "ok    " : "FAIL  ") << c.name << (c.detail.empty() ? "" : ": " + c.detail) << "\n";
    std::cout << id << (kwargs.items().empty() ? "" : " (" + kwargs.repr() + ")") << ": " << checks.size() - failed
              << " of " << checks.size() << " checks passed\n";
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace

int cmd_envs(const Args& args) {
  po::options_description options("envs options");
  options.add_options()("id", po::value<std::string>(), "one env: its spaces, time limit and every option")(
      "check", po::bool_switch(), "run the conformance checks (Gymnasium's check_env and more) on ID; exit 1 if one fails")(
      "json", po::bool_switch(), "print JSON instead of a table");
  add_kwarg_option(options);
  po::positional_options_description positional;
  positional.add("id", 1);
  po::variables_map vm;
  if (!parse("envs", "[ID] [--check [--kwarg key=value ...]] [--json]", args, options, positional, vm)) return 0;
  const bool json = vm["json"].as<bool>();
  const Registry& registry = Registry::global();
  if (vm["check"].as<bool>()) {
    if (!vm.count("id")) throw Error("--check needs an env id, e.g. rlarena envs --check Hopper-v5");
    const std::string id = vm["id"].as<std::string>();
    registry.spec(id);  // an unknown id names the closest ones
    return check(id, kwargs_from(vm), json);
  }
  if (vm.count("kwarg")) throw Error("--kwarg goes with --check (the options an env is checked with)");
  if (vm.count("id") && MultiRegistry::global().has(vm["id"].as<std::string>())) {
    const auto j = describe_multi(vm["id"].as<std::string>());
    if (json) {
      std::cout << j.dump(2) << "\n";
      return 0;
    }
    std::cout << j["id"].get<std::string>() << " (multi-agent, parallel API" << (j["turn_based"] ? ", turn-based" : "")
              << ")\n";
    std::vector<std::vector<std::string>> rows = {{"agent", "observation_space", "action_space"}};
    for (const auto& agent : j["agents"])
      rows.push_back({agent, j["observation_spaces"][agent.get<std::string>()], j["action_spaces"][agent.get<std::string>()]});
    print_table(rows, "  ");
    std::string players = "random, mcts:N (turn-based games)";
    for (const auto& p : j["scripted_players"]) players += ", " + p.get<std::string>();
    std::string state;
    for (const auto& s : j["state"]) state += (state.empty() ? "" : ", ") + s.get<std::string>();
    std::cout << "\n  max_episode_steps  " << j["max_episode_steps"].get<int64_t>() << "\n  scripted players   "
              << players << "\n  state (--state)    " << (state.empty() ? "-" : state) << "\n";
    return 0;
  }
  if (vm.count("id")) {
    const std::string id = vm["id"].as<std::string>();
    registry.spec(id);
    const auto j = describe(id);
    if (json) {
      std::cout << j.dump(2) << "\n";
      return 0;
    }
    std::cout << id << "\n";
    std::vector<std::vector<std::string>> facts = {
        {"observation_space", j["observation_space"]},
        {"action_space", j["action_space"]},
        {"max_episode_steps", std::to_string(j["max_episode_steps"].get<int64_t>())},
        {"reward_threshold", j["reward_threshold"].is_null() ? "none" : j["reward_threshold"].dump()}};
    std::string state;
    for (const auto& s : j["state"]) state += (state.empty() ? "" : ", ") + s.get<std::string>();
    facts.push_back({"state (--state order)", state});
    std::string info;
    for (const auto& s : j["info"]) info += (info.empty() ? "" : ", ") + s.get<std::string>();
    if (!info.empty()) facts.push_back({"info keys", info});
    print_table(facts, "  ");
    std::cout << "\noptions (--kwarg name=value; gym.make(id, name=value)):\n";
    std::vector<std::vector<std::string>> rows = {{"name", "default", "meaning"}};
    for (const auto& o : j["kwargs"]) rows.push_back({o["name"], o["default"], o["meaning"]});
    print_table(rows, "  ");
    return 0;
  }
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& id : registry.ids())
    if (id.rfind("test/", 0) != 0) list.push_back(describe(id));
  nlohmann::ordered_json multi = nlohmann::ordered_json::array();
  for (const auto& id : MultiRegistry::global().ids()) multi.push_back(describe_multi(id));
  if (json) {
    for (const auto& j : multi) list.push_back(j);
    std::cout << list.dump(2) << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {{"id", "max_steps", "action_space", "observation_space"}};
  for (const auto& j : list)
    rows.push_back({j["id"], std::to_string(j["max_episode_steps"].get<int64_t>()), j["action_space"],
                    j["observation_space"]});
  print_table(rows);
  std::cout << "\nmulti-agent (PettingZoo's parallel API):\n";
  std::vector<std::vector<std::string>> multi_rows = {{"id", "max_steps", "agents", "turn-based", "scripted players"}};
  for (const auto& j : multi) {
    std::string agents, players;
    for (const auto& a : j["agents"]) agents += (agents.empty() ? "" : ",") + a.get<std::string>();
    for (const auto& p : j["scripted_players"]) players += (players.empty() ? "" : ", ") + p.get<std::string>();
    multi_rows.push_back({j["id"], std::to_string(j["max_episode_steps"].get<int64_t>()), agents,
                          j["turn_based"] ? "yes" : "no", players.empty() ? "-" : players});
  }
  print_table(multi_rows);
  std::cout << "\n`rlarena envs ID` shows one env's options; `rlarena envs --check ID` checks it.\n";
  return 0;
}

}  // namespace rlarena::cli
