// rlarena dataset info|validate|convert|collect: offline datasets in D4RL's HDF5
// layout (a file) or Minari's (a directory), read, checked, converted, and
// collected from a VecEnv into a crash-safe D4RL file.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/options.h"
#include "cli/progress.h"
#include "agents/common/torch_threads.h"
#include "cli/run_files.h"
#include "cli/version.h"
#include "envs/core/error.h"
#include "envs/core/vec_env.h"
#include "replay/collector.h"
#include "replay/d4rl.h"
#include "replay/minari.h"
#include "replay/vec_writer.h"

namespace rlarena::cli {

namespace {

namespace fs = std::filesystem;

bool is_minari(const std::string& path) { return fs::is_directory(path); }

DatasetSummary summarize_any(const std::string& path) {
  if (!fs::exists(path)) throw Error(path + ": no such file or directory; give a D4RL .hdf5 file or a Minari dataset directory");
  return is_minari(path) ? summarize_minari(path) : summarize_d4rl(path);
}

std::unique_ptr<ReplayStore> read_any(const std::string& path, Metadata& metadata) {
  if (!fs::exists(path)) throw Error(path + ": no such file or directory; give a D4RL .hdf5 file or a Minari dataset directory");
  if (!is_minari(path)) return read_d4rl(path, 0, -1, &metadata);
  MinariInfo info;
  auto store = read_minari(path, &info);
  metadata["dataset_id"] = info.dataset_id;
  if (!info.env_id.empty()) metadata["env_id"] = info.env_id;
  return store;
}

int info(const Args& args) {
  po::options_description options("dataset info options");
  options.add_options()("path", po::value<std::string>()->required(), "D4RL .hdf5 file or Minari dataset directory")(
      "json", po::bool_switch(), "print one JSON object");
  po::positional_options_description positional;
  positional.add("path", 1);
  po::variables_map vm;
  if (!parse("dataset info", "FILE|DIR [--json]", args, options, positional, vm)) return 0;
  const std::string path = vm["path"].as<std::string>();
  const DatasetSummary s = summarize_any(path);
  if (vm["json"].as<bool>()) {
    nlohmann::ordered_json j;
    j["path"] = path;
    j["layout"] = s.layout;
    j["steps"] = s.steps;
    j["episodes"] = s.episodes;
    j["keys"] = s.keys;
    j["return"] = {{"mean", s.return_mean}, {"std", s.return_std}, {"min", s.return_min}, {"max", s.return_max}};
    j["metadata"] = s.metadata;
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::printf("%s: %s layout, %lld steps, %lld episodes\n", path.c_str(), s.layout.c_str(),
              static_cast<long long>(s.steps), static_cast<long long>(s.episodes));
  std::printf("episode return: mean %.4g, std %.4g, min %.4g, max %.4g\n", s.return_mean, s.return_std,
              s.return_min, s.return_max);
  std::printf("keys:\n");
  for (const auto& [key, shape] : s.keys) std::printf("  %-28s %s\n", key.c_str(), shape.c_str());
  if (!s.metadata.empty()) {
    std::printf("metadata:\n");
    for (const auto& [key, value] : s.metadata) std::printf("  %-28s %s\n", key.c_str(), value.c_str());
  }
  return 0;
}

int validate(const Args& args) {
  po::options_description options("dataset validate options");
  options.add_options()("path", po::value<std::string>()->required(), "D4RL .hdf5 file or Minari dataset directory");
  po::positional_options_description positional;
  positional.add("path", 1);
  po::variables_map vm;
  if (!parse("dataset validate", "FILE|DIR", args, options, positional, vm)) return 0;
  const std::string path = vm["path"].as<std::string>();
  // Reading checks every key, shape, dtype, length and flag; any problem throws.
  const DatasetSummary s = summarize_any(path);
  std::printf("%s: sound (%s layout, %lld steps, %lld episodes)\n", path.c_str(), s.layout.c_str(),
              static_cast<long long>(s.steps), static_cast<long long>(s.episodes));
  return 0;
}

int convert(const Args& args) {
  po::options_description options("dataset convert options");
  options.add_options()("in", po::value<std::string>()->required(), "D4RL .hdf5 file or Minari dataset directory")(
      "to", po::value<std::string>()->required(), "d4rl or minari")(
      "out", po::value<std::string>()->required(), "output file (d4rl) or dataset directory (minari)")(
      "dataset-id", po::value<std::string>(), "Minari dataset id (default: <env>/<out name>-v0)")(
      "gzip", po::bool_switch(), "gzip-compress D4RL arrays");
  po::positional_options_description positional;
  positional.add("in", 1);
  po::variables_map vm;
  if (!parse("dataset convert", "IN --to d4rl|minari --out OUT", args, options, positional, vm)) return 0;
  const std::string in = vm["in"].as<std::string>(), to = vm["to"].as<std::string>(), out = vm["out"].as<std::string>();
  if (to != "d4rl" && to != "minari") throw Error("--to " + to + " is not a layout; give --to d4rl or --to minari");
  Metadata metadata;
  const auto store = read_any(in, metadata);
  if (to == "d4rl") {
    metadata["converted_from"] = in;
    write_d4rl(*store, out, metadata, {vm["gzip"].as<bool>()});
  } else {
    std::string id;
    if (vm.count("dataset-id")) {
      id = vm["dataset-id"].as<std::string>();
    } else {
      const std::string env = metadata.count("env_id") ? metadata["env_id"] : "rlarena";
      std::string name = fs::path(out).filename().string();
      if (name.empty()) name = fs::path(out).parent_path().filename().string();
      id = env.substr(0, env.find('-')) + "/" + name + "-v0";
    }
    write_minari(*store, out, id, metadata);
  }
  const DatasetSummary s = summarize(*store);
  std::printf("%s -> %s (%s): %lld steps, %lld episodes\n", in.c_str(), out.c_str(), to.c_str(),
              static_cast<long long>(s.steps), static_cast<long long>(s.episodes));
  return 0;
}

int collect(const Args& args) {
  po::options_description options("dataset collect options");
  options.add_options()("env", po::value<std::string>()->required(), "env id, e.g. Hopper-v5")(
      "policy", po::value<std::string>()->default_value("random"),
      "random, heuristic (the env's scripted controller), or a run directory or checkpoint file (its policy)")(
      "steps", po::value<int64_t>()->required(), "transitions to collect (over all envs)")(
      "seed", po::value<uint64_t>()->default_value(0), "seed of env 0 (env i gets seed + i) and of the policy")(
      "num-envs", po::value<int64_t>()->default_value(8), "envs in the VecEnv")(
      "stochastic", po::bool_switch(), "a trained policy samples its actions (default: its mode)")(
      "threads", po::value<int>()->default_value(1), "threads stepping envs")(
      "flush-every", po::value<int64_t>()->default_value(10000), "flush finished episodes every this many transitions")(
      "out", po::value<std::string>()->required(), "D4RL .hdf5 file to create");
  add_kwarg_option(options);
  po::positional_options_description positional;
  positional.add("env", 1);
  po::variables_map vm;
  if (!parse("dataset collect", "ENV --steps N --out FILE [options]", args, options, positional, vm)) return 0;
  const std::string id = vm["env"].as<std::string>(), policy = vm["policy"].as<std::string>();
  const std::string out = vm["out"].as<std::string>();
  const int64_t steps = vm["steps"].as<int64_t>(), num_envs = vm["num-envs"].as<int64_t>();
  const int64_t flush_every = vm["flush-every"].as<int64_t>();
  const uint64_t seed = vm["seed"].as<uint64_t>();
  if (steps < 1) throw Error("--steps " + std::to_string(steps) + "; give 1 or more");
  if (num_envs < 1) throw Error("--num-envs " + std::to_string(num_envs) + "; give 1 or more");
  if (flush_every < 1) throw Error("--flush-every " + std::to_string(flush_every) + "; give 1 or more");
  const Kwargs kwargs = kwargs_from(vm);
  VecEnv venv(id, num_envs, seed, vm["threads"].as<int>(), 0, kwargs);
  // A trained policy: a run directory or a checkpoint file.
  LoadedPolicy trained;
  if (policy != "random" && policy != "heuristic") {
    TrainerOptions acting;
    acting.acting_only = true;
    set_torch_threads(1);
    set_blas_threads(1);
    trained = load_policy(policy, acting);
    if (trained.trainer->observation_space().byte_size() != venv.observation_space().byte_size() ||
        trained.trainer->action_space().byte_size() != venv.action_space().byte_size())
      throw Error("--policy " + policy + " was trained on " + trained.recipe->text("env") + ", whose spaces differ from " +
                  id + "'s; collect on the env it was trained on");
  }
  const bool deterministic = !vm["stochastic"].as<bool>();
  const Batch* batch = &venv.reset();
  std::vector<uint8_t> probe(venv.action_space().byte_size());
  if (policy == "heuristic" && !venv.env(0).heuristic_action(probe.data()))
    throw Error(id + " has no heuristic policy (LunarLander, BipedalWalker and CarRacing have one); use --policy random");
  const int64_t rounds = (steps + num_envs - 1) / num_envs;
  ReplayStore store(venv.observation_space(), venv.action_space(), (rounds + 1) * num_envs);
  VecWriter writer(store, num_envs);
  const Metadata metadata = {{"env_id", id},
                             {"env_kwargs", kwargs.repr()},
                             {"policy", policy},
                             {"seed", std::to_string(seed)},
                             {"num_envs", std::to_string(num_envs)},
                             {"rlarena_version", kVersion},
                             {"git_commit", kGitCommit}};
  DatasetCollector collector(out, venv.observation_space(), venv.action_space(), metadata);
  const Space& act = venv.action_space();
  std::vector<uint8_t> actions(num_envs * act.byte_size());
  Rng rng(seed);
  Progress progress("collect " + id, static_cast<double>(rounds * num_envs));
  writer.reset(*batch);
  int64_t since_flush = 0;
  for (int64_t r = 1; r <= rounds; ++r) {
    if (trained.trainer) {
      trained.trainer->act(batch->obs, num_envs, deterministic, actions.data());
    } else {
      for (int64_t e = 0; e < num_envs; ++e) {
        uint8_t* a = actions.data() + e * act.byte_size();
        if (policy == "heuristic") venv.env(e).heuristic_action(a);
        else act.sample(rng, a);
      }
    }
    batch = &venv.step(actions.data());
    writer.add(*batch, actions.data());
    since_flush += num_envs;
    if (since_flush >= flush_every) {
      collector.flush(store);
      since_flush = 0;
      progress.update(static_cast<double>(r * num_envs), std::to_string(collector.committed_steps()) + " steps on disk");
    }
  }
  collector.close(store);
  progress.finish();
  const DatasetSummary s = summarize(store);
  std::printf("%s: %lld steps, %lld episodes of %s (return mean %.4g)\n", out.c_str(),
              static_cast<long long>(collector.committed_steps()), static_cast<long long>(s.episodes), id.c_str(),
              s.return_mean);
  return 0;
}

}  // namespace

int cmd_dataset(const Args& args) {
  static const std::pair<const char*, int (*)(const Args&)> subs[] = {
      {"info", info}, {"validate", validate}, {"convert", convert}, {"collect", collect}};
  const std::string usage =
      "usage: rlarena dataset <info|validate|convert|collect> ...  (rlarena dataset <sub> --help)\n"
      "  info FILE|DIR [--json]                      layout, keys, shapes, steps, episodes, returns\n"
      "  validate FILE|DIR                           exit 0 only when the dataset is sound\n"
      "  convert IN --to d4rl|minari --out OUT       between D4RL files and Minari directories\n"
      "  collect ENV --steps N --out FILE [options]  fill a D4RL file from a VecEnv, crash-safe\n";
  if (args.empty() || args[0] == "-h" || args[0] == "--help") {
    std::cout << usage;
    return args.empty() ? 2 : 0;
  }
  for (const auto& [name, run] : subs)
    if (args[0] == name) return run(Args(args.begin() + 1, args.end()));
  throw Error("unknown dataset command '" + args[0] + "'; give info, validate, convert or collect");
}

}  // namespace rlarena::cli
