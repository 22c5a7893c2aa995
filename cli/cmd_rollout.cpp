// rlarena rollout [ENV]: one episode from a seed (and optionally a given physical
// state) under actions from a file, a random or scripted player, or a trained policy
// (a run directory or checkpoint; its env is the default), written as CSV, so a user
// can compare an env with Gymnasium step by step.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "agents/policy/episode.h"
#include "agents/policy/scripted.h"
#include "common/atomic_file.h"
#include "cli/options.h"
#include "common/error.h"
#include "arena/player.h"
#include "envs/core/registry.h"
#include "envs/multi/multi_registry.h"

namespace rlarena::cli {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, sep)) out.push_back(item);
  if (!s.empty() && s.back() == sep) out.push_back("");
  return out;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

double parse_number(const std::string& text, const std::string& where) {
  const std::string t = trim(text);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(t.c_str(), &end);
  if (t.empty() || *end != '\0' || errno == ERANGE)
    throw Error(where + ": '" + t + "' is not a number; write numbers separated by commas");
  return v;
}

// One action per line, vector components split by commas.
std::vector<Array> read_actions(const std::string& path, const Space& space) {
  std::ifstream in(path);
  if (!in) throw Error("cannot read actions file " + path + "; check the path");
  std::vector<Array> actions;
  std::string line;
  for (int lineno = 1; std::getline(in, line); ++lineno) {
    if (trim(line).empty() || trim(line)[0] == '#') continue;  // blank lines and # comments
    const std::string where = path + " line " + std::to_string(lineno);
    const auto parts = split(line, ',');
    if (static_cast<int64_t>(parts.size()) != space.numel())
      throw Error(where + ": " + std::to_string(parts.size()) + " values, but the action space " +
                  space.repr() + " needs " + std::to_string(space.numel()) + " per line");
    Array a = Array::zeros(space);
    for (size_t k = 0; k < parts.size(); ++k) {
      const double v = parse_number(parts[k], where);
      if (space.dtype() == DType::Float32) {
        a.as<float>()[k] = static_cast<float>(v);
      } else {
        if (v != std::floor(v))
          throw Error(where + ": '" + trim(parts[k]) + "' is not an integer; " + space.repr() +
                      " takes integer actions");
        if (space.dtype() == DType::Int64) a.as<int64_t>()[k] = static_cast<int64_t>(v);
        else if (space.dtype() == DType::Int8) a.as<int8_t>()[k] = static_cast<int8_t>(v);
        else a.as<uint8_t>()[k] = static_cast<uint8_t>(v);
      }
    }
    actions.push_back(std::move(a));
  }
  return actions;
}

// Text that reads back to the same value: 17 digits for a double (and integers).
std::string format(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
// An element of an array stored as `dtype`: 9 digits are enough for float32.
std::string format(double v, DType dtype) {
  if (dtype != DType::Float32) return format(v);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

// The CSV to `out`, or to standard output for "-".
void write_csv(const std::string& out, const std::string& csv) {
  if (out == "-") std::fwrite(csv.data(), 1, csv.size(), stdout);
  else write_file_atomically(out, csv);
}

// The rollout of a multi-agent env: one CSV row per step and agent, obs columns to
// the longest observation (shorter ones leave the rest empty). --actions lines hold
// every agent's action in agent order; otherwise --policy names a player for every agent.
void rollout_multi(const po::variables_map& vm, int64_t max_steps, std::ostringstream& csv) {
  const std::string id = vm["env"].as<std::string>();
  const uint64_t seed = vm["seed"].as<Seed>().value;
  std::unique_ptr<MultiAgentEnv> env = make_multi(id, kwargs_from(vm));
  const int n = env->num_agents();
  std::vector<Space> spaces;
  int64_t act_width = 0, obs_width = 0;
  for (int a = 0; a < n; ++a) {
    spaces.push_back(env->action_space(a));
    act_width = std::max(act_width, env->action_space(a).numel());
    obs_width = std::max(obs_width, env->observation_space(a).numel());
  }
  std::vector<Array> lines;
  std::unique_ptr<Player> player;
  if (vm.count("actions")) {
    for (int a = 1; a < n; ++a)
      if (spaces[a].dtype() != spaces[0].dtype())
        throw Error(id + ": its agents' actions have different types; --actions needs one type");
    lines = read_actions(vm["actions"].as<InPath>().value, Space::tuple(spaces));
    max_steps = std::min<int64_t>(max_steps, static_cast<int64_t>(lines.size()));
  } else {
    player = make_player(vm["policy"].as<std::string>(), *env);
  }
  std::vector<Array> obs = env->reset(seed);
  if (vm.count("state")) {
    std::vector<double> state;
    for (const auto& part : split(vm["state"].as<std::string>(), ',')) state.push_back(parse_number(part, "--state"));
    env->set_state(state);
    std::vector<void*> ptrs;
    for (auto& o : obs) ptrs.push_back(o.data());
    env->observe_into(ptrs.data());
  }
  csv << "step,agent";
  for (int64_t k = 0; k < act_width; ++k) csv << ",action_" << k;
  for (int64_t k = 0; k < obs_width; ++k) csv << ",obs_" << k;
  csv << ",reward,terminated,truncated\n";
  Rng rng(seed);
  for (int64_t t = 0; t < max_steps && !env->episode_over(); ++t) {
    std::vector<Array> actions;
    size_t at = 0;
    for (int a = 0; a < n; ++a) {
      Array x = Array::zeros(spaces[a]);
      if (player) {
        if (env->current_player() < 0 || env->current_player() == a) player->act(*env, a, obs[a].data(), rng, x.data());
      } else {
        std::memcpy(x.data(), lines[t].bytes.data() + at, x.bytes.size());
        at += x.bytes.size();
      }
      actions.push_back(std::move(x));
    }
    const MultiStepResult r = env->step(actions);
    for (int a = 0; a < n; ++a) {
      csv << t + 1 << "," << env->agents()[a];
      for (int64_t k = 0; k < act_width; ++k)
        csv << "," << (k < actions[a].numel() ? format(actions[a].at(k), spaces[a].dtype()) : "");
      for (int64_t k = 0; k < obs_width; ++k)
        csv << "," << (k < r.obs[a].numel() ? format(r.obs[a].at(k), r.obs[a].dtype) : "");
      csv << "," << format(r.rewards[a]) << "," << int(r.terminated[a]) << "," << int(r.truncated[a]) << "\n";
    }
    obs = r.obs;
  }
}

}  // namespace

int cmd_rollout(const Args& args) {
  po::options_description options("rollout options");
  add_policy_options(options);
  options.add_options()
      ("seed", po::value<Seed>()->default_value({0}), "reset seed (also seeds --policy random)")
      ("state", po::value<std::string>(),
       "start from this physical state, comma-separated, in the order of Gymnasium's "
       "env.unwrapped.state (`rlarena envs --json` lists each env's state names; multi-agent envs: "
       "PettingZoo's world order, `rlarena envs ID` names it)")
      ("actions", po::value<InPath>(), "file with one action per line (components split by commas, # comments); "
       "replaces --policy")
      ("steps", po::value<Count>()->default_value({1000000}), "at most this many steps")
      ("out", po::value<OutPath>()->required(), "CSV file to write ('-' for stdout)");
  po::positional_options_description positional;
  positional.add("env", 1);
  po::variables_map vm;
  if (!parse("rollout", "[ENV] --out FILE.csv [--policy random|heuristic|RUN_DIR] [options]", args, options,
             positional, vm))
    return 0;
  const uint64_t seed = vm["seed"].as<Seed>().value;
  int64_t max_steps = vm["steps"].as<Count>().value;
  if (vm.count("env") && MultiRegistry::global().has(vm["env"].as<std::string>())) {
    std::ostringstream csv;
    rollout_multi(vm, max_steps, csv);
    write_csv(vm["out"].as<OutPath>().value, csv.str());
    return 0;
  }
  PolicyInEnv p = policy_in_env(vm, seed);
  Env& env = *p.env;
  const Space& act = env.action_space();
  const Space& obs_space = env.observation_space();
  if (vm.count("actions")) {
    auto list = std::make_unique<ActionListPolicy>(obs_space, act, read_actions(vm["actions"].as<InPath>().value, act));
    max_steps = std::min(max_steps, list->size());
    p.policy = std::move(list);
  }

  Array first = env.reset(seed);
  if (vm.count("state")) {
    std::vector<double> state;
    for (const auto& part : split(vm["state"].as<std::string>(), ','))
      state.push_back(parse_number(part, "--state"));
    env.set_state(state);
    first = env.observation();
  }

  std::ostringstream csv;
  csv << "step";
  for (int64_t k = 0; k < act.numel(); ++k) csv << ",action_" << k;
  for (int64_t k = 0; k < obs_space.numel(); ++k) csv << ",obs_" << k;
  csv << ",reward,terminated,truncated\n";
  int64_t t = 0;
  if (max_steps > 0)
    run_episode(env, first, *p.policy, acting_from(vm), max_steps,
                [&](const Array& a, const StepResult& r) {
                  csv << ++t;
                  for (int64_t k = 0; k < act.numel(); ++k) csv << "," << format(a.at(k), act.dtype());
                  for (int64_t k = 0; k < obs_space.numel(); ++k) csv << "," << format(r.obs.at(k), obs_space.dtype());
                  csv << "," << format(r.reward) << "," << int(r.terminated) << "," << int(r.truncated) << "\n";
                });
  write_csv(vm["out"].as<OutPath>().value, csv.str());
  return 0;
}

}  // namespace rlarena::cli
