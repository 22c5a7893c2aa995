// rlarena dataset info|validate|convert|collect: offline datasets in D4RL's HDF5
// layout (a file) or Minari's (a directory), read, checked, converted, and
// collected from a VecEnv into a crash-safe D4RL file.
#include <algorithm>
#include <cctype>
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
#include "replay/locate.h"
#include "replay/minari.h"

namespace rlarena::cli {

namespace {

namespace fs = std::filesystem;

void add_metadata(const po::variables_map& vm, Metadata& metadata);

int info(const Args& args) {
  po::options_description options("dataset info options");
  options.add_options()("path", po::value<DatasetRef>()->required(),
                        "D4RL .hdf5 file, Minari dataset directory or Minari id")(
      "json", po::bool_switch(), "print one JSON object");
  po::positional_options_description positional;
  positional.add("path", 1);
  po::variables_map vm;
  if (!parse("dataset info", "DATASET [--json]", args, options, positional, vm)) return 0;
  const std::string path = vm["path"].as<DatasetRef>().value;
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
  options.add_options()("path", po::value<DatasetRef>()->required(),
                        "D4RL .hdf5 file, Minari dataset directory or Minari id");
  po::positional_options_description positional;
  positional.add("path", 1);
  po::variables_map vm;
  if (!parse("dataset validate", "DATASET", args, options, positional, vm)) return 0;
  const std::string path = vm["path"].as<DatasetRef>().value;
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

// The id a converted dataset gets when none is given: <env name>/<out name>-vN, in
// Minari's lower-case style (CartPole-v1 + "expert" -> cartpole/expert-v0).
std::string default_dataset_id(const Metadata& metadata, const std::string& out) {
  std::string env = metadata.count("env_id") ? metadata.at("env_id") : "rlarena";
  env = env.substr(0, env.rfind("-v"));
  std::string name = fs::path(out).filename().string();
  if (name.empty()) name = fs::path(out).parent_path().filename().string();
  std::string id;
  for (char c : env + "/" + name) id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto v = id.rfind("-v");
  const bool versioned = v != std::string::npos && v + 2 < id.size() &&
                         id.find_first_not_of("0123456789", v + 2) == std::string::npos;
  return versioned ? id : id + "-v0";
}

int convert(const Args& args) {
  po::options_description options("dataset convert options");
  options.add_options()("in", po::value<DatasetRef>()->required(),
                        "D4RL .hdf5 file, Minari dataset directory or Minari id")(
      "to", po::value<std::string>()->required(), "d4rl or minari")(
      "out", po::value<OutPath>(), "output file (d4rl) or dataset directory (minari: default <Minari root>/<id>)")(
      "id", po::value<std::string>(), "Minari dataset id namespace/name-vN (default: <env>/<out name>-v0)")(
      "dataset-id", po::value<std::string>(), "the same as --id")(
      "author", po::value<std::string>(), "Minari metadata: who made the dataset")(
      "author-email", po::value<std::string>(), "Minari metadata: how to reach them")(
      "code-permalink", po::value<std::string>(), "Minari metadata: the code that made it (default: rlarena's version and commit)")(
      "description", po::value<std::string>(), "Minari metadata: what the dataset is")(
      "gzip", po::bool_switch(), "gzip-compress D4RL arrays")(
      "metadata", po::value<std::vector<std::string>>()->composing(), "KEY=VALUE added to the metadata (repeatable)");
  po::positional_options_description positional;
  positional.add("in", 1);
  po::variables_map vm;
  if (!parse("dataset convert", "IN --to d4rl|minari [--out OUT] [--id NAMESPACE/NAME-vN]", args, options, positional,
             vm))
    return 0;
  const std::string in = vm["in"].as<DatasetRef>().value, to = vm["to"].as<std::string>();
  if (to != "d4rl" && to != "minari") throw Error("--to " + to + " is not a layout; give --to d4rl or --to minari");
  std::string id = vm.count("id") ? vm["id"].as<std::string>() : vm.count("dataset-id") ? vm["dataset-id"].as<std::string>() : "";
  if (to == "d4rl" && !vm.count("out")) throw Error("--to d4rl needs --out FILE.hdf5");
  if (to == "minari" && id.empty() && !vm.count("out"))
    throw Error("--to minari needs --id namespace/name-vN (the dataset goes into the Minari root " + minari_root() +
                ") or --out DIR");
  if (!id.empty() && !is_dataset_id(id))
    throw Error("--id " + id + " is not of Minari's form namespace/name-vN; give e.g. --id cartpole/random-v0");
  std::string out = vm.count("out") ? vm["out"].as<OutPath>().value : dataset_dir_for_id(id);
  if (std::filesystem::exists(out))
    throw Error((vm.count("out") ? "--out " : "dataset " + id + " exists: ") + out +
                (vm.count("out") ? " exists; give a new file or directory (convert never overwrites)"
                                 : "; give another id or version (convert never overwrites)"));
  Metadata metadata;
  const auto store = read_dataset(in, &metadata);
  add_metadata(vm, metadata);
  for (const char* key : {"author", "author-email", "code-permalink", "description"}) {
    if (!vm.count(key)) continue;
    std::string name = key;
    std::replace(name.begin(), name.end(), '-', '_');
    metadata[name] = vm[key].as<std::string>();
  }
  if (to == "d4rl") {
    metadata["converted_from"] = in;
    write_d4rl(*store, out, metadata, {vm["gzip"].as<bool>()});
  } else {
    if (id.empty()) id = default_dataset_id(metadata, out);
    write_minari(*store, out, id, metadata);
  }
  const DatasetSummary s = summarize(*store);
  std::printf("%s -> %s (%s%s): %lld steps, %lld episodes\n", in.c_str(), out.c_str(), to.c_str(),
              to == "minari" ? (", id " + id).c_str() : "", static_cast<long long>(s.steps),
              static_cast<long long>(s.episodes));
  return 0;
}

// `minari list local`: the datasets in the Minari root.
int list(const Args& args) {
  po::options_description options("dataset list options");
  options.add_options()("json", po::bool_switch(), "print one JSON array");
  po::variables_map vm;
  if (!parse("dataset list", "[--json]", args, options, {}, vm)) return 0;
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  std::vector<std::vector<std::string>> rows;
  for (const std::string& id : local_dataset_ids()) {
    Metadata m;
    try {
      m = minari_metadata(dataset_dir_for_id(id));
    } catch (const Error& e) {
      m["description"] = std::string("unreadable: ") + e.what();
    }
    auto get = [&](const char* k) { return m.count(k) ? m[k] : std::string(); };
    rows.push_back({id, get("total_episodes"), get("total_steps"), get("algorithm_name"), get("author")});
    all.push_back({{"dataset_id", id}, {"total_episodes", get("total_episodes")}, {"total_steps", get("total_steps")},
                   {"algorithm_name", get("algorithm_name")}, {"author", get("author")}});
  }
  if (vm["json"].as<bool>()) {
    std::cout << all.dump() << "\n";
    return 0;
  }
  std::printf("Local Minari datasets (%s)\n", minari_root().c_str());
  if (rows.empty()) {
    std::printf("  none; make one with `rlarena dataset convert FILE --to minari --id namespace/name-v0`\n");
    return 0;
  }
  rows.insert(rows.begin(), {"Name", "Total Episodes", "Total Steps", "Algorithm", "Author"});
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& r : rows)
    for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  for (const auto& r : rows) {
    std::string line;
    for (size_t c = 0; c < r.size(); ++c) line += r[c] + std::string(width[c] - r[c].size() + 2, ' ');
    std::printf("%s\n", line.substr(0, line.find_last_not_of(' ') + 1).c_str());
  }
  return 0;
}

// `minari show ID`: a dataset's metadata and what its data holds.
int show(const Args& args) {
  po::options_description options("dataset show options");
  options.add_options()("id", po::value<DatasetRef>()->required(), "Minari dataset id or directory");
  po::positional_options_description positional;
  positional.add("id", 1);
  po::variables_map vm;
  if (!parse("dataset show", "ID", args, options, positional, vm)) return 0;
  const std::string dir = vm["id"].as<DatasetRef>().value;
  if (!fs::is_directory(dir))
    throw Error(dir + " is a D4RL file, not a Minari dataset; `rlarena dataset info " + dir + "` describes it");
  Metadata m = minari_metadata(dir);
  const DatasetSummary s = summarize_minari(dir);
  auto get = [&](const char* k) { return m.count(k) ? m[k] : std::string("None"); };
  std::printf("%s\n", get("dataset_id").c_str());
  if (m.count("description")) std::printf("\n%s\n", m["description"].c_str());
  std::printf("\nDataset Specs\n");
  std::printf("  %-28s %s\n", "Total Steps", get("total_steps").c_str());
  std::printf("  %-28s %s\n", "Total Episodes", get("total_episodes").c_str());
  std::printf("  %-28s %s\n", "Dataset Observation Space", s.keys.count("episode_{i}/observations") ? s.keys.at("episode_{i}/observations").c_str() : "");
  std::printf("  %-28s %s\n", "Dataset Action Space", s.keys.count("episode_{i}/actions") ? s.keys.at("episode_{i}/actions").c_str() : "");
  std::printf("  %-28s %.4g (std %.4g, min %.4g, max %.4g)\n", "Episode Return", s.return_mean, s.return_std,
              s.return_min, s.return_max);
  std::printf("  %-28s %s\n", "Algorithm", get("algorithm_name").c_str());
  std::printf("  %-28s %s\n", "Author", get("author").c_str());
  std::printf("  %-28s %s\n", "Email", get("author_email").c_str());
  std::printf("  %-28s %s\n", "Code Permalink", get("code_permalink").c_str());
  std::printf("  %-28s %s\n", "Minari Version", get("minari_version").c_str());
  std::printf("  %-28s %s\n", "Reference Min Score", get("ref_min_score").c_str());
  std::printf("  %-28s %s\n", "Reference Max Score", get("ref_max_score").c_str());
  if (m.count("env_spec")) {
    std::printf("\nEnvironment Specs\n");
    try {
      const auto spec = nlohmann::json::parse(m["env_spec"]);
      for (const char* k : {"id", "entry_point", "max_episode_steps", "reward_threshold", "kwargs"})
        if (spec.contains(k)) {
          const auto& v = spec[k];
          std::printf("  %-28s %s\n", k, v.is_string() ? v.get<std::string>().c_str() : v.dump().c_str());
        }
    } catch (const std::exception&) {
      std::printf("  %s\n", m["env_spec"].c_str());
    }
  }
  return 0;
}

// --metadata KEY=VALUE items into `metadata`.
void add_metadata(const po::variables_map& vm, Metadata& metadata) {
  if (!vm.count("metadata")) return;
  for (const auto& item : vm["metadata"].as<std::vector<std::string>>()) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Error("--metadata " + item + " is not KEY=VALUE; give e.g. --metadata ref_max_score=3234.3");
    metadata[item.substr(0, eq)] = item.substr(eq + 1);
  }
}

// D4RL's medium-expert: the steps of several datasets of one env in one file.
int merge(const Args& args) {
  po::options_description options("dataset merge options");
  options.add_options()("in", po::value<std::vector<std::string>>()->required()->multitoken(),
                        "datasets (files, Minari directories or ids) of one env")(
      "out", po::value<OutPath>()->required(), "D4RL .hdf5 file to create")(
      "metadata", po::value<std::vector<std::string>>()->composing(), "KEY=VALUE written under metadata/ (repeatable)");
  po::positional_options_description positional;
  positional.add("in", -1);
  po::variables_map vm;
  if (!parse("dataset merge", "A B ... --out FILE [--metadata KEY=VALUE ...]", args, options, positional, vm)) return 0;
  const auto inputs = vm["in"].as<std::vector<std::string>>();
  const std::string out = vm["out"].as<OutPath>().value;
  if (inputs.size() < 2) throw Error("dataset merge needs two or more datasets");
  if (std::filesystem::exists(out)) throw Error("--out " + out + " exists; give a new file (merge never overwrites)");
  Metadata extra;
  add_metadata(vm, extra);
  const MergeResult m = merge_datasets(inputs, out, extra);
  std::printf("%s: %lld steps, %lld episodes from %zu datasets\n", out.c_str(), static_cast<long long>(m.steps),
              static_cast<long long>(m.episodes), inputs.size());
  return 0;
}

int collect(const Args& args) {
  po::options_description options("dataset collect options");
  options.add_options()("env", po::value<std::string>()->required(), "env id, e.g. Hopper-v5")(
      "policy", po::value<std::string>()->default_value("random"),
      "random, heuristic (the env's scripted controller), or a run directory or checkpoint file (its policy)")(
      "steps", po::value<Count>()->required(),
      "transitions to collect over all envs: at least this many, in whole episodes")(
      "keep-partial", po::bool_switch(),
      "stop at --steps and keep the unfinished episodes too (their last step stored as truncated)")(
      "seed", po::value<Seed>()->default_value({0}), "seed of env 0 (env i gets seed + i) and of the policy")(
      "num-envs", po::value<Count>()->default_value({8}), "envs in the VecEnv")(
      "stochastic", po::bool_switch(), "a trained policy samples its actions (default: its mode)")(
      "threads", po::value<Count>()->default_value({1}), "threads stepping envs")(
      "flush-every", po::value<Count>()->default_value({10000}), "flush finished episodes every this many transitions")(
      "out", po::value<OutPath>()->required(), "D4RL .hdf5 file to create")(
      "metadata", po::value<std::vector<std::string>>()->composing(),
      "KEY=VALUE written under metadata/ too (repeatable), e.g. ref_min_score=-20.3");
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
  o.keep_partial = vm["keep-partial"].as<bool>();
  o.acting = acting_from(vm);
  o.flush_every = vm["flush-every"].as<Count>().value;
  // Minari's algorithm_name: a scripted player's name, or the algorithm a run trained.
  const std::string algorithm = is_scripted_policy(policy) ? policy : load_policy(policy).recipe->text("algo");
  o.metadata = {{"env_id", id},
                {"env_kwargs", kwargs.repr()},
                {"policy", policy},
                {"algorithm_name", algorithm},
                {"seed", std::to_string(seed)},
                {"num_envs", std::to_string(num_envs)},
                {"rlarena_version", kVersion},
                {"git_commit", git_commit()}};
  add_metadata(vm, o.metadata);
  const CollectResult r = collect_dataset(venv, *player, o);
  std::printf("%s: stored %lld steps, %lld %sepisodes of %s (return mean %.4g)%s\n", o.out.c_str(),
              static_cast<long long>(r.steps), static_cast<long long>(r.episodes),
              o.keep_partial ? "" : "whole ", id.c_str(), r.return_mean,
              o.keep_partial ? ", unfinished ones cut short as truncated"
                             : r.steps > o.steps ? "; --steps is a minimum: episodes are kept whole" : "");
  return 0;
}

}  // namespace

int cmd_dataset(const Args& args) {
  static const std::pair<const char*, int (*)(const Args&)> subs[] = {
      {"info", info},       {"validate", validate}, {"recover", recover}, {"convert", convert},
      {"collect", collect}, {"list", list},         {"show", show},         {"merge", merge}};
  const std::string usage =
      "usage: rlarena dataset <info|validate|recover|convert|collect|merge|list|show> ...  (rlarena dataset <sub> --help)\n"
      "  info DATASET [--json]                       layout, keys, shapes, steps, episodes, returns\n"
      "  validate DATASET                            exit 0 only when the dataset is sound\n"
      "  recover FILE [--out NEW]                    a plain file from one a killed collector left open\n"
      "  convert DATASET --to d4rl|minari [--out OUT] [--id NAMESPACE/NAME-vN]\n"
      "                                              between D4RL files and Minari datasets\n"
      "  collect ENV --steps N --out FILE [options]  fill a D4RL file from a VecEnv, crash-safe\n"
      "  merge A B ... --out FILE                    several datasets of one env in one file (medium-expert)\n"
      "  list [--json]                               the datasets in the Minari root (as `minari list local`)\n"
      "  show ID                                     a Minari dataset's metadata (as `minari show`)\n"
      "A DATASET is a D4RL .hdf5 file, a Minari dataset directory, or a Minari id found in the Minari root\n"
      "($MINARI_DATASETS_PATH, default ~/.minari/datasets).\n";
  if (args.empty() || args[0] == "-h" || args[0] == "--help") {
    std::cout << usage;
    return args.empty() ? 2 : 0;
  }
  for (const auto& [name, run] : subs)
    if (args[0] == name) return run(Args(args.begin() + 1, args.end()));
  throw Error("unknown dataset command '" + args[0] +
              "'; give info, validate, recover, convert, collect, merge, list or show");
}

}  // namespace rlarena::cli
