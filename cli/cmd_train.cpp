// rlarena train RECIPE: trains an agent from a recipe file (Boost.Program_options
// config syntax, key = value), any key overridable on the command line, into a run
// directory holding the fully resolved config.cfg and metrics.csv.
#include <chrono>
#include <cmath>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>
#include <sstream>

#include "agents/common/torch_threads.h"
#include "agents/ppo/ppo.h"
#include "cli/atomic_file.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "envs/core/error.h"

namespace rlarena::cli {

namespace {

namespace fs = std::filesystem;

// Every recipe key, its default and meaning (CleanRL's argument names).
po::options_description recipe_keys() {
  const ppo::Config d;
  po::options_description keys("recipe keys (in the file as key = value, or here as --key value)");
  keys.add_options()
      ("algo", po::value<std::string>()->default_value("ppo"), "algorithm: ppo")
      ("env", po::value<std::string>()->default_value(d.env_id), "env id")
      ("kwarg", po::value<std::vector<std::string>>()->composing(), "env option key=value (repeatable)")
      ("num_envs", po::value<int64_t>()->default_value(d.num_envs), "envs stepped together")
      ("num_steps", po::value<int64_t>()->default_value(d.num_steps), "steps per env per update")
      ("total_steps", po::value<int64_t>()->default_value(d.total_steps), "env steps in all")
      ("epochs", po::value<int64_t>()->default_value(d.epochs), "passes over each rollout")
      ("minibatches", po::value<int64_t>()->default_value(d.minibatches), "minibatches per pass")
      ("learning_rate", po::value<double>()->default_value(d.learning_rate), "Adam step size")
      ("gamma", po::value<double>()->default_value(d.gamma), "discount")
      ("gae_lambda", po::value<double>()->default_value(d.gae_lambda), "GAE lambda")
      ("clip_coef", po::value<double>()->default_value(d.clip), "PPO ratio clip")
      ("ent_coef", po::value<double>()->default_value(d.ent_coef), "entropy bonus weight")
      ("vf_coef", po::value<double>()->default_value(d.vf_coef), "value loss weight")
      ("max_grad_norm", po::value<double>()->default_value(d.max_grad_norm), "gradient norm clip")
      ("anneal_lr", po::value<bool>()->default_value(d.anneal_lr), "anneal the learning rate to 0")
      ("norm_adv", po::value<bool>()->default_value(d.norm_adv), "normalize advantages per minibatch")
      ("clip_vloss", po::value<bool>()->default_value(d.clip_vloss), "clip the value loss")
      ("hidden", po::value<std::string>()->default_value("64,64"), "hidden layer sizes, comma-separated")
      ("seed", po::value<uint64_t>()->default_value(d.seed), "seed of env 0, the policy and torch")
      ("env_threads", po::value<int>()->default_value(d.env_threads), "threads stepping envs")
      ("torch_threads", po::value<int>()->default_value(1), "LibTorch intra-op threads");
  return keys;
}

std::string value_text(const po::variable_value& v) {
  const auto& any = v.value();
  if (any.type() == typeid(std::string)) return boost::any_cast<std::string>(any);
  if (any.type() == typeid(int64_t)) return std::to_string(boost::any_cast<int64_t>(any));
  if (any.type() == typeid(uint64_t)) return std::to_string(boost::any_cast<uint64_t>(any));
  if (any.type() == typeid(int)) return std::to_string(boost::any_cast<int>(any));
  if (any.type() == typeid(bool)) return boost::any_cast<bool>(any) ? "true" : "false";
  if (any.type() == typeid(double)) {
    std::ostringstream s;
    s << boost::any_cast<double>(any);
    return s.str();
  }
  return "";
}

// The resolved recipe as a config file (kwarg lines repeated).
std::string resolved_config(const po::options_description& keys, const po::variables_map& vm) {
  std::string out = "# rlarena train: the fully resolved recipe of this run\n";
  for (const auto& option : keys.options()) {
    const std::string& name = option->long_name();
    if (!vm.count(name)) continue;
    if (name == "kwarg") {
      for (const auto& kv : vm[name].as<std::vector<std::string>>()) out += "kwarg = " + kv + "\n";
    } else {
      out += name + " = " + value_text(vm[name]) + "\n";
    }
  }
  return out;
}


std::string timestamp() {
  const std::time_t now = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", std::gmtime(&now));
  return buf;
}

}  // namespace

int cmd_train(const Args& args) {
  const po::options_description keys = recipe_keys();
  po::options_description cli("train options");
  cli.add_options()("recipe", po::value<std::string>()->required(), "recipe file, e.g. recipes/ppo-cartpole.cfg")(
      "run-dir", po::value<std::string>(), "run directory (default: runs/<recipe>-<seed>-<time>/)")(
      "print-config", po::bool_switch(), "print every key with its resolved value and exit");
  po::options_description all;
  all.add(cli).add(keys);
  po::positional_options_description positional;
  positional.add("recipe", 1);
  po::variables_map vm;
  // The command line first: values stored first win over the file's.
  if (!parse("train", "RECIPE [--key value ...] [--run-dir DIR] [--print-config]", args, all, positional, vm))
    return 0;
  const std::string recipe = vm["recipe"].as<std::string>();
  std::ifstream file(recipe);
  if (!file) throw Error(recipe + ": no such recipe file; see recipes/ for the built-in ones");
  try {
    po::store(po::parse_config_file(file, keys, /*allow_unregistered=*/false), vm);
  } catch (const po::unknown_option& e) {
    std::string valid;
    for (const auto& option : keys.options()) valid += (valid.empty() ? "" : ", ") + option->long_name();
    throw Error(recipe + ": unknown key '" + e.get_option_name() + "'; valid keys: " + valid);
  } catch (const po::error& e) {
    throw Error(recipe + ": " + e.what());
  }
  po::notify(vm);

  if (vm["print-config"].as<bool>()) {
    std::cout << resolved_config(keys, vm);
    return 0;
  }
  if (vm["algo"].as<std::string>() != "ppo")
    throw Error("algo = " + vm["algo"].as<std::string>() + ": this build trains ppo; the other agents come next");

  ppo::Config config;
  config.env_id = vm["env"].as<std::string>();
  if (vm.count("kwarg")) config.env_kwargs = Kwargs::parse(vm["kwarg"].as<std::vector<std::string>>());
  config.num_envs = vm["num_envs"].as<int64_t>();
  config.num_steps = vm["num_steps"].as<int64_t>();
  config.total_steps = vm["total_steps"].as<int64_t>();
  config.epochs = vm["epochs"].as<int64_t>();
  config.minibatches = vm["minibatches"].as<int64_t>();
  config.learning_rate = vm["learning_rate"].as<double>();
  config.gamma = vm["gamma"].as<double>();
  config.gae_lambda = vm["gae_lambda"].as<double>();
  config.clip = vm["clip_coef"].as<double>();
  config.ent_coef = vm["ent_coef"].as<double>();
  config.vf_coef = vm["vf_coef"].as<double>();
  config.max_grad_norm = vm["max_grad_norm"].as<double>();
  config.anneal_lr = vm["anneal_lr"].as<bool>();
  config.norm_adv = vm["norm_adv"].as<bool>();
  config.clip_vloss = vm["clip_vloss"].as<bool>();
  const std::string hidden = vm["hidden"].as<std::string>();
  config.hidden = parse_positive_list(hidden, "hidden = " + hidden, "hidden = 64,64");
  config.seed = vm["seed"].as<uint64_t>();
  config.env_threads = vm["env_threads"].as<int>();
  for (const auto& [name, value] : {std::pair<const char*, int64_t>{"num_envs", config.num_envs},
                                    {"num_steps", config.num_steps},
                                    {"epochs", config.epochs},
                                    {"minibatches", config.minibatches},
                                    {"env_threads", config.env_threads}})
    if (value < 1) throw Error(std::string(name) + " = " + std::to_string(value) + ": give 1 or more");
  if (config.total_steps < config.num_envs * config.num_steps)
    throw Error("total_steps = " + std::to_string(config.total_steps) + " is less than one update (num_envs * num_steps = " +
                std::to_string(config.num_envs * config.num_steps) + ")");
  if (!(config.learning_rate > 0)) throw Error("learning_rate must be > 0");
  if (!(config.gamma > 0 && config.gamma <= 1)) throw Error("gamma must be in (0, 1]");
  set_torch_threads(vm["torch_threads"].as<int>());

  const std::string run_dir = vm.count("run-dir") ? vm["run-dir"].as<std::string>()
                                                  : "runs/" + fs::path(recipe).stem().string() + "-" +
                                                        std::to_string(config.seed) + "-" + timestamp();
  std::error_code ec;
  fs::create_directories(run_dir, ec);
  if (ec || !fs::is_directory(run_dir))
    throw Error("cannot create run directory " + run_dir + " (" + ec.message() + "); give a writable --run-dir");
  write_file_atomically(run_dir + "/config.cfg", resolved_config(keys, vm));
  std::ofstream metrics(run_dir + "/metrics.csv");
  if (!metrics) throw Error("cannot write " + run_dir + "/metrics.csv; give a writable --run-dir");
  metrics << "global_step,wall_s,episodic_return,episodic_length,episodes,policy_loss,value_loss,entropy,approx_kl,"
             "clip_fraction,sps\n";

  const auto start = std::chrono::steady_clock::now();
  std::deque<double> recent;
  Progress progress("train " + fs::path(recipe).stem().string(), static_cast<double>(config.total_steps));
  ppo::train(config, [&](const ppo::UpdateStats& s) {
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double ret = NAN, len = NAN;
    if (!s.episode_returns.empty()) {
      ret = std::accumulate(s.episode_returns.begin(), s.episode_returns.end(), 0.0) / s.episode_returns.size();
      len = std::accumulate(s.episode_lengths.begin(), s.episode_lengths.end(), 0.0) / s.episode_lengths.size();
    }
    for (double r : s.episode_returns) {
      recent.push_back(r);
      if (recent.size() > 20) recent.pop_front();
    }
    const double sps = s.global_step / wall;
    metrics << s.global_step << "," << wall << "," << (std::isnan(ret) ? "" : std::to_string(ret)) << ","
            << (std::isnan(len) ? "" : std::to_string(len)) << "," << s.episode_returns.size() << "," << s.policy_loss
            << "," << s.value_loss << "," << s.entropy << "," << s.approx_kl << "," << s.clip_fraction << "," << sps
            << "\n";
    metrics.flush();  // a run's log survives a crash up to the last update
    const double mean = recent.empty() ? 0 : std::accumulate(recent.begin(), recent.end(), 0.0) / recent.size();
    char detail[96];
    std::snprintf(detail, sizeof detail, "step %lld, %.0f SPS, return %.1f", static_cast<long long>(s.global_step),
                  sps, mean);
    progress.update(static_cast<double>(s.global_step), detail);
    return true;
  });
  progress.finish();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double mean = recent.empty() ? 0 : std::accumulate(recent.begin(), recent.end(), 0.0) / recent.size();
  std::printf("%s: %lld steps of %s in %.1f s; mean return of the last %zu episodes %.1f; run in %s\n",
              recipe.c_str(), static_cast<long long>(config.total_steps), config.env_id.c_str(), wall, recent.size(),
              mean, run_dir.c_str());
  return 0;
}

}  // namespace rlarena::cli
