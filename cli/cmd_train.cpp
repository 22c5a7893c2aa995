// rlarena train RECIPE [--key value ...]: trains an agent from a recipe file into a
// run directory (agents/run/run.h lists what it holds). --resume RUN_DIR continues a
// run exactly from its last checkpoint; Ctrl-C saves a checkpoint and stops.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <algorithm>
#include <filesystem>
#include <map>

#include "agents/algorithms.h"
#include "agents/distributed/launch.h"
#include "agents/run/run.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "common/closest.h"
#include "common/error.h"

namespace rlarena::cli {

namespace {

std::string help_text() {
  std::string resume_list;
  for (const auto& k : resume_keys()) resume_list += (resume_list.empty() ? "" : ", ") + k;
  std::ostringstream s;
  s << "usage: rlarena train RECIPE [--key value ...] [--run-dir DIR [--overwrite]] [--save-buffer] [--print-config]\n"
       "       rlarena train --algo NAME [--env ID] [--key value ...]   (the built-in recipe for the pair, if any)\n"
       "       rlarena train --resume RUN_DIR [--key value ...]\n\n"
       "  --run-dir DIR    run directory (default runs/<algo>-<env>-<seed>-<time>/)\n"
       "  --overwrite      replace the run already in --run-dir (it is refused otherwise)\n"
       "  --resume DIR     continue the run in DIR from its last checkpoint, exactly (with it, only\n"
       "                   these keys may be given: " + resume_list + ")\n"
       "  --save-buffer    keep every transition and write DIR/buffer.hdf5 (D4RL layout) at the end\n"
       "  --print-config   print every key with its resolved value and exit\n"
       "  --nproc N        train on N local processes (ranks) of one job, data-parallel (ppo, a2c, dqn,\n"
       "                   sac, td3 and the offline algorithms);\n"
       "                   under torchrun (WORLD_SIZE, RANK, MASTER_ADDR, MASTER_PORT set) each process\n"
       "                   is a rank already: see docs/distributed.md\n\n"
       "Any recipe key can be given as --key value, --key=value or --key-with-dashes value; a true/false key\n"
       "alone means true. CleanRL's names work too: --env-id, --total-timesteps, --num-minibatches,\n"
       "--update-epochs. Keys per algorithm (default values):\n";
  for (const auto& a : algorithms()) {
    s << "\n" << a.name << ": " << a.summary << "\n";
    for (const auto& k : a.keys) {
      std::string left = "  " + k.name + " = " + k.default_value;
      left.resize(std::max<size_t>(left.size() + 1, 40), ' ');
      s << left << k.help << "\n";
    }
  }
  return s.str();
}

std::string read_recipe_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw Error(path + ": no such recipe file; see recipes/ for the built-in ones");
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

// CleanRL's option names for our keys (after dashes become underscores).
const std::map<std::string, std::string>& cleanrl_aliases() {
  static const std::map<std::string, std::string> aliases = {{"env_id", "env"},
                                                             {"total_timesteps", "total_steps"},
                                                             {"num_minibatches", "minibatches"},
                                                             {"update_epochs", "epochs"}};
  return aliases;
}

struct TrainOptions {
  std::string recipe_path;
  RunOptions run;
  bool print_config = false, help = false;
  int nproc = 1;  // local ranks to start (--nproc)
  RawConfig overrides;
};

// Every recipe key of every algorithm, with whether it is a true/false flag.
std::map<std::string, bool> all_recipe_keys() {
  std::map<std::string, bool> keys;
  for (const auto& a : algorithms())
    for (const auto& k : a.keys) keys[k.name] = k.default_value == "true" || k.default_value == "false";
  return keys;
}

// The command line through Boost.Program_options: --total-steps and --total_steps
// are the same key, CleanRL's names are aliases, a flag key alone means true.
TrainOptions parse_train(const Args& args) {
  const auto keys = all_recipe_keys();
  const std::vector<std::string> fixed = {"run_dir", "resume",     "overwrite", "print_config",
                                          "save_buffer", "nproc", "help"};
  Args words;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    if (a == "-h") a = "--help";
    if (a.rfind("--", 0) != 0 || a.size() < 3) {
      words.push_back(a);
      continue;
    }
    const size_t eq = a.find('=');
    std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    std::replace(name.begin(), name.end(), '-', '_');
    if (cleanrl_aliases().count(name)) name = cleanrl_aliases().at(name);
    words.push_back("--" + name + (eq == std::string::npos ? "" : a.substr(eq)));
    const auto key = keys.find(name);
    const bool next_is_value = i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0;
    if (key != keys.end() && key->second && eq == std::string::npos && !next_is_value) words.push_back("true");
  }
  po::options_description options;
  options.add_options()("help", "")("run_dir", po::value<std::string>(), "")("resume", po::value<std::string>(), "")(
      "overwrite", po::bool_switch(), "")("print_config", po::bool_switch(), "")("save_buffer", po::bool_switch(), "")(
      "recipe", po::value<std::string>(), "")("nproc", po::value<int>(), "");
  for (const auto& [name, flag] : keys) options.add_options()(name.c_str(), po::value<std::vector<std::string>>(), "");
  po::positional_options_description positional;
  positional.add("recipe", 1);
  po::variables_map vm;
  try {
    // No guessing: --learning_rat must not quietly mean --learning_rate.
    const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::store(po::command_line_parser(words).options(options).positional(positional).style(style).run(), vm);
  } catch (const po::unknown_option& e) {
    std::string name = e.get_option_name();
    name = name.substr(name.find_first_not_of('-'));
    std::vector<std::string> candidates(fixed.begin(), fixed.end());
    for (const auto& [key, flag] : keys) candidates.push_back(key);
    std::vector<std::string> best = closest_names(name, candidates);
    for (auto& b : best)  // the fixed options are spelt with dashes in the help
      if (std::find(fixed.begin(), fixed.end(), b) != fixed.end()) std::replace(b.begin(), b.end(), '_', '-');
    throw Error("unknown option --" + name + "; did you mean " + or_list(best, "--") +
                "? (`rlarena train --help` lists every key)");
  } catch (const po::too_many_positional_options_error&) {
    throw Error("give one recipe file; recipe keys go as --key value (e.g. --seed 3)");
  } catch (const po::error& e) {
    throw Error(std::string(e.what()) + "; see `rlarena train --help`");
  }
  TrainOptions t;
  t.help = vm.count("help") > 0;
  if (vm.count("recipe")) t.recipe_path = vm["recipe"].as<std::string>();
  if (vm.count("run_dir")) t.run.dir = vm["run_dir"].as<std::string>();
  if (vm.count("resume")) {
    if (vm.count("run_dir")) throw Error("give --resume RUN_DIR or --run-dir DIR, not both");
    t.run.dir = vm["resume"].as<std::string>();
    t.run.resume = true;
  }
  t.run.overwrite = vm["overwrite"].as<bool>();
  t.run.save_buffer = vm["save_buffer"].as<bool>();
  t.print_config = vm["print_config"].as<bool>();
  if (vm.count("nproc")) {
    t.nproc = vm["nproc"].as<int>();
    if (t.nproc < 1 || t.nproc > 256) throw Error("--nproc " + std::to_string(t.nproc) + ": give 1 to 256 local ranks");
  }
  for (const auto& [name, flag] : keys)
    if (vm.count(name)) t.overrides[name] = vm[name].as<std::vector<std::string>>();
  return t;
}

// The directories where built-in recipes are: beside the binary's source tree
// (build/rlarena -> recipes/), or ./recipes.
std::vector<std::filesystem::path> recipe_dirs() {
  std::vector<std::filesystem::path> dirs;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) dirs.push_back(exe.parent_path().parent_path() / "recipes");
  dirs.push_back("recipes");
  return dirs;
}

// The built-in recipe for an algorithm and env pair (RL Zoo's per-env settings), if one exists.
std::string recipe_for(const std::string& algo, const std::string& env) {
  for (const auto& dir : recipe_dirs()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) continue;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
      if (e.path().extension() == ".cfg") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      try {
        const RawConfig c = read_config(read_recipe_file(f.string()), f.string());
        if (c.count("algo") && c.at("algo").back() == algo && c.count("env") && c.at("env").back() == env)
          return f.string();
      } catch (const Error&) {
      }
    }
  }
  return "";
}

// The command line as a shell would take it back.
std::string command_line(const Args& args) {
  std::string s = "rlarena train";
  for (const auto& a : args) {
    const bool plain = !a.empty() && a.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./,:+@") == std::string::npos;
    if (plain) {
      s += " " + a;
      continue;
    }
    std::string quoted = "'";
    for (char c : a) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    s += " " + quoted + "'";
  }
  return s;
}

}  // namespace

int cmd_train(const Args& args) {
  TrainOptions t = parse_train(args);
  if (t.help) {
    std::cout << help_text();
    return 0;
  }
  RunOptions& options = t.run;
  options.command_line = command_line(args);
  const bool print_config = t.print_config;
  std::string recipe_path = t.recipe_path;
  const RawConfig& overrides = t.overrides;
  if (recipe_path.empty() && !options.resume && !overrides.count("algo"))
    throw Error("train needs a recipe file (e.g. rlarena train recipes/ppo-cartpole.cfg), --algo NAME (its defaults) "
                "or --resume RUN_DIR");
  if (!recipe_path.empty() && options.resume)
    throw Error("give a recipe or --resume RUN_DIR, not both (a resumed run keeps its own config.cfg)");
  // --algo A --env E without a recipe: the built-in recipe for that pair, when there is one.
  if (recipe_path.empty() && !options.resume && overrides.count("env")) {
    recipe_path = recipe_for(overrides.at("algo").back(), overrides.at("env").back());
    if (!recipe_path.empty())
      std::fprintf(stderr, "using %s, the recipe for %s on %s (your --keys go on top)\n", recipe_path.c_str(),
                   overrides.at("algo").back().c_str(), overrides.at("env").back().c_str());
  }

  // The recipe: a file, a resumed run's resolved config, or (--algo NAME) that
  // algorithm's defaults, with overrides on top.
  const Recipe recipe = options.resume        ? run_recipe(options.dir, overrides)
                        : recipe_path.empty() ? make_recipe({}, overrides, "command line")
                                              : make_recipe(read_config(read_recipe_file(recipe_path), recipe_path),
                                                            overrides, recipe_path);
  if (print_config) {
    std::cout << recipe.config_text("# rlarena train: the fully resolved recipe of this run\n");
    return 0;
  }
  // --nproc N: this command again as N ranks of one job (the recipe was checked once, here).
  if (t.nproc > 1) {
    // The others stop on their own within dist_timeout when one rank fails.
    return run_local_ranks("train", args, t.nproc, recipe.number_in("dist_timeout", 1, 1e6) + 10);
  }
  const auto job = join_job_from_env(recipe.number_in("dist_timeout", 1, 1e6));
  const RunResult r = train(recipe, options);
  if (job && job->rank() > 0) return r.interrupted ? 130 : 0;  // rank 0 reports the run
  if (job && !job->timing_summary().empty()) std::fprintf(stderr, "%s\n", job->timing_summary().c_str());
  if (r.interrupted) {
    std::printf("interrupted at step %lld; checkpoint saved in %s/checkpoints/latest.h5; continue with: rlarena train "
                "--resume %s\n",
                static_cast<long long>(r.steps), r.dir.c_str(), r.dir.c_str());
    return 130;
  }
  double mean = NAN;
  if (!r.recent_returns.empty()) {
    mean = 0;
    for (double x : r.recent_returns) mean += x / r.recent_returns.size();
  }
  if (r.recent_returns.empty())  // an offline run: its steps are gradient steps, it plays no episodes
    std::printf("%s: %lld steps of %s in %.1f s; run in %s\n", recipe.text("algo").c_str(),
                static_cast<long long>(r.steps), recipe.text("env").c_str(), r.wall_s, r.dir.c_str());
  else
    std::printf("%s: %lld steps of %s in %.1f s; mean return of the last %zu episodes %.1f; run in %s\n",
                recipe.text("algo").c_str(), static_cast<long long>(r.steps), recipe.text("env").c_str(), r.wall_s,
                r.recent_returns.size(), mean, r.dir.c_str());
  if (!r.buffer.empty()) std::printf("buffer: %s\n", r.buffer.c_str());
  if (r.final_eval) {
    const ReturnStats& s = r.final_eval->stats;
    std::printf("eval: %lld episodes, mean %.1f +- %.1f, IQM %.1f, 95%% CI [%.1f, %.1f]", static_cast<long long>(s.episodes),
                s.mean, s.std, s.iqm, s.ci_low, s.ci_high);
    if (r.score_refs) std::printf(", normalized score %.1f", r.score_refs->normalized(s.mean));
    std::printf(" -> %s/eval.json\n", r.dir.c_str());
  }
  if (!r.curve_error.empty()) std::fprintf(stderr, "note: no curve.png (%s)\n", r.curve_error.c_str());
  return 0;
}

}  // namespace rlarena::cli
