// rlarena dataset info|validate|convert|collect: offline datasets in D4RL's HDF5
// layout (a file) or Minari's (a directory), read, checked, converted, and
// collected from a VecEnv into a crash-safe D4RL file.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "agents/common/torch_threads.h"
#include "agents/policy/collect.h"
#include "agents/policy/load.h"
#include "cli/options.h"
#include "common/error.h"
#include "common/version.h"
#include "envs/core/vec_env.h"
#include "common/h5_file.h"
#include "replay/dataset.h"
#include "replay/minari.h"

namespace rlarena::cli {

namespace {

namespace fs = std::filesystem;

int info(const Args& args) {
  po::options_description options("dataset info options");
  options.add_options()("path", po::value<InPath>()->required(), "D4RL .hdf5 file or Minari dataset directory")(
      "json", po::bool_switch(), "print one JSON object");
  po::positional_options_description positional;
  positional.add("path", 1);
  po::variables_map vm;
  if (!parse("dataset info", "FILE|DIR [--json]", args, options, positional, vm)) return 0;
  const std::string path = vm["path"].as<InPath>().value;
  const DatasetSummary s = summarize_dataset(path);
  if (vm["json"].as<bool>()) {
    nlohmann::ordered_json j;
    j["path"] = path;
    j["layout"] = s.layout;
    j["steps"] = s.steps;
    j["episodes"] = s.episodes;
    j["keys"] = s.keys;
    j["return"] = {{"mean", s.return_mean}, {"std", s.return_std}, {"min", s.return_min}, {"max", s.return_max}};
    j["metadata"] = s.metadata;
    if (!s.warning.empty()) j["warning"] = s.warning;
    std::cout << j.dump() << "\n";
    return 0;
  }
  if (!s.warning.empty()) std::fprintf(stderr, "warning: %s\n", s.warning.c_str());
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
  options.add_options()("path", po::value<InPath>()->required(), "D4RL .hdf5 file or Minari dataset directory");
  po::positional_options_description positional;
  positional.add("path", 1);
  po::variables_map vm;
  if (!parse("dataset validate", "FILE|DIR", args, options, positional, vm)) return 0;
  const std::string path = vm["path"].as<InPath>().value;
  // Reading checks every key, shape, dtype, length and flag; any problem throws.
  const DatasetSummary s = summarize_dataset(path);
  if (!s.warning.empty()) throw Error(s.warning);
  std::printf("%s: sound (%s layout, %lld steps, %lld episodes)\n", path.c_str(), s.layout.c_str(),
              static_cast<long long>(s.steps), static_cast<long long>(s.episodes));
  return 0;
}

int recover(const Args& args) {
  po::options_description options("dataset recover options");
  options.add_options()("path", po::value<InPath>()->required(), "D4RL .hdf5 file a killed collector left open")(
      "out", po::value<OutPath>(), "the plain file to write (default: replace the file itself when complete)");
  po::positional_options_description positional;
  positional.add("path", 1);
  po::variables_map vm;
  if (!parse("dataset recover", "FILE [--out NEW]", args, options, positional, vm)) return 0;
  const std::string path = vm["path"].as<InPath>().value;
  const std::string out = vm.count("out") ? vm["out"].as<OutPath>().value : "";
  if (!out.empty() && std::filesystem::exists(out))
    throw Error("--out " + out + " exists; give a new file (recover never overwrites another file)");
  const bool was_open = h5::left_open_by_writer(path);
  const int64_t steps = recover_d4rl(path, out);
  std::printf("%s: %lld steps in a plain D4RL file%s\n", out.empty() ? path.c_str() : out.c_str(),
              static_cast<long long>(steps), was_open ? "" : " (it was not left open; the copy is the same data)");
  return 0;
}

int convert(const Args& args) {
  po::options_description options("dataset convert options");
  options.add_options()("in", po::value<InPath>()->required(), "D4RL .hdf5 file or Minari dataset directory")(
      "to", po::value<std::string>()->required(), "d4rl or minari")(
      "out", po::value<OutPath>()->required(), "output file (d4rl) or dataset directory (minari)")(
      "dataset-id", po::value<std::string>(), "Minari dataset id (default: <env>/<out name>-v0)")(
      "gzip", po::bool_switch(), "gzip-compress D4RL arrays");
  po::positional_options_description positional;
  positional.add("in", 1);
  po::variables_map vm;
  if (!parse("dataset convert", "IN --to d4rl|minari --out OUT", args, options, positional, vm)) return 0;
  const std::string in = vm["in"].as<InPath>().value, to = vm["to"].as<std::string>();
  const std::string out = vm["out"].as<OutPath>().value;
  if (to != "d4rl" && to != "minari") throw Error("--to " + to + " is not a layout; give --to d4rl or --to minari");
  if (std::filesystem::exists(out))
    throw Error("--out " + out + " exists; give a new file or directory (convert never overwrites)");
  Metadata metadata;
  const auto store = read_dataset(in, &metadata);
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
      "steps", po::value<Count>()->required(), "transitions to collect (over all envs)")(
      "seed", po::value<Seed>()->default_value({0}), "seed of env 0 (env i gets seed + i) and of the policy")(
      "num-envs", po::value<Count>()->default_value({8}), "envs in the VecEnv")(
      "stochastic", po::bool_switch(), "a trained policy samples its actions (default: its mode)")(
      "threads", po::value<Count>()->default_value({1}), "threads stepping envs")(
      "flush-every", po::value<Count>()->default_value({10000}), "flush finished episodes every this many transitions")(
      "out", po::value<OutPath>()->required(), "D4RL .hdf5 file to create");
  add_kwarg_option(options);
  po::positional_options_description positional;
  positional.add("env", 1);
  po::variables_map vm;
  if (!parse("dataset collect", "ENV --steps N --out FILE [options]", args, options, positional, vm)) return 0;
  const std::string id = vm["env"].as<std::string>(), policy = vm["policy"].as<std::string>();
  const int64_t num_envs = vm["num-envs"].as<Count>().value;
  const uint64_t seed = vm["seed"].as<Seed>().value;
  const Kwargs kwargs = kwargs_from(vm);
  VecEnv venv(id, num_envs, seed, static_cast<int>(std::min<int64_t>(vm["threads"].as<Count>().value, 256)), 0,
              kwargs);
  set_torch_threads(1);
  set_blas_threads(1);
  const auto player = make_policy(policy, venv.observation_space(), venv.action_space(), seed, id);
  CollectOptions o;
  o.out = vm["out"].as<OutPath>().value;
  o.steps = vm["steps"].as<Count>().value;
  o.acting = acting_from(vm);
  o.flush_every = vm["flush-every"].as<Count>().value;
  o.metadata = {{"env_id", id},
                {"env_kwargs", kwargs.repr()},
                {"policy", policy},
                {"seed", std::to_string(seed)},
                {"num_envs", std::to_string(num_envs)},
                {"rlarena_version", kVersion},
                {"git_commit", kGitCommit}};
  const CollectResult r = collect_dataset(venv, *player, o);
  std::printf("%s: %lld steps, %lld episodes of %s (return mean %.4g)\n", o.out.c_str(),
              static_cast<long long>(r.steps), static_cast<long long>(r.episodes), id.c_str(), r.return_mean);
  return 0;
}

}  // namespace

int cmd_dataset(const Args& args) {
  static const std::pair<const char*, int (*)(const Args&)> subs[] = {
      {"info", info}, {"validate", validate}, {"recover", recover}, {"convert", convert}, {"collect", collect}};
  const std::string usage =
      "usage: rlarena dataset <info|validate|recover|convert|collect> ...  (rlarena dataset <sub> --help)\n"
      "  info FILE|DIR [--json]                      layout, keys, shapes, steps, episodes, returns\n"
      "  validate FILE|DIR                           exit 0 only when the dataset is sound\n"
      "  recover FILE [--out NEW]                    a plain file from one a killed collector left open\n"
      "  convert IN --to d4rl|minari --out OUT       between D4RL files and Minari directories\n"
      "  collect ENV --steps N --out FILE [options]  fill a D4RL file from a VecEnv, crash-safe\n";
  if (args.empty() || args[0] == "-h" || args[0] == "--help") {
    std::cout << usage;
    return args.empty() ? 2 : 0;
  }
  for (const auto& [name, run] : subs)
    if (args[0] == name) return run(Args(args.begin() + 1, args.end()));
  throw Error("unknown dataset command '" + args[0] + "'; give info, validate, recover, convert or collect");
}

}  // namespace rlarena::cli
