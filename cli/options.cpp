#include "cli/options.h"

#include <iostream>
#include <sstream>

#include "agents/common/torch_threads.h"
#include "agents/policy/load.h"
#include "common/error.h"
#include "envs/core/registry.h"

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

EnvAndPolicy env_and_policy(const po::variables_map& vm, uint64_t seed) {
  const std::string spec = vm["policy"].as<std::string>();
  EnvAndPolicy out;
  Kwargs kwargs;
  LoadedPolicy trained;
  if (!is_scripted_policy(spec)) {
    set_torch_threads(1);
    set_blas_threads(1);
    trained = load_policy(spec);
    out.env_id = trained.recipe->text("env");
    kwargs = trained.recipe->kwargs();
  }
  if (vm.count("env")) {
    if (vm["env"].as<std::string>() != out.env_id) kwargs = {};  // another env: the run's options need not apply
    out.env_id = vm["env"].as<std::string>();
  }
  if (out.env_id.empty())
    throw Error("give an env id (e.g. CartPole-v1), or --policy RUN_DIR to use the env the run trained on");
  out.env = make(out.env_id, kwargs.merged(kwargs_from(vm)));
  if (trained.learner) {
    check_policy_fits(*trained.learner, "--policy " + spec + " (trained on " + trained.recipe->text("env") + ")",
                      out.env->observation_space(), out.env->action_space(), out.env_id);
    out.policy = std::move(trained.learner);
  } else {
    out.policy = make_policy(spec, out.env->observation_space(), out.env->action_space(), seed, out.env_id);
  }
  return out;
}

}  // namespace rlarena::cli
