#include "cli/options.h"

#include <iostream>
#include <sstream>

#include "agents/common/torch_threads.h"
#include "common/error.h"

namespace rlarena::cli {

bool parse(const std::string& command, const std::string& usage, const Args& args,
           po::options_description& options, const po::positional_options_description& positional,
           po::variables_map& vm) {
  options.add_options()("help,h", "show this help");
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
  if (vm.count("help")) {
    std::cout << "usage: rlarena " << command << " " << usage << "\n\n" << options << "\n";
    return false;
  }
  po::notify(vm);
  return true;
}


void add_kwarg_option(po::options_description& options) {
  options.add_options()("kwarg", po::value<std::vector<std::string>>()->composing(),
                        "env option key=value, repeatable (as gym.make(id, key=value))");
}

Kwargs kwargs_from(const po::variables_map& vm) {
  if (!vm.count("kwarg")) return {};
  return Kwargs::parse(vm["kwarg"].as<std::vector<std::string>>());
}

void add_policy_options(po::options_description& options) {
  options.add_options()("env", po::value<std::string>(),
                        "env id, e.g. CartPole-v1 (default: the trained policy's env)")(
      "policy", po::value<std::string>()->default_value("random"),
      "random, heuristic (the env's scripted controller), or a run directory or checkpoint file (its policy)")(
      "stochastic", po::bool_switch(), "a trained policy samples its actions (default: its mode)");
  add_kwarg_option(options);
}

Acting acting_from(const po::variables_map& vm) {
  return vm.count("stochastic") && vm["stochastic"].as<bool>() ? Acting::Stochastic : Acting::Deterministic;
}

PolicyInEnv policy_in_env(const po::variables_map& vm, uint64_t seed) {
  set_torch_threads(1);
  set_blas_threads(1);
  return rlarena::policy_in_env(vm["policy"].as<std::string>(), vm.count("env") ? vm["env"].as<std::string>() : "",
                                kwargs_from(vm), seed);
}

}  // namespace rlarena::cli
