// rlarena train RECIPE [--key value ...]: trains an agent from a recipe file into a
// run directory (agents/run/run.h lists what it holds). --resume RUN_DIR continues a
// run exactly from its last checkpoint; Ctrl-C saves a checkpoint and stops.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "agents/algorithms.h"
#include "agents/run/run.h"
#include "cli/commands.h"
#include "common/error.h"

namespace rlarena::cli {

namespace {

std::string help_text() {
  std::string resume_list;
  for (const auto& k : resume_keys()) resume_list += (resume_list.empty() ? "" : ", ") + k;
  std::ostringstream s;
  s << "usage: rlarena train RECIPE [--key value ...] [--run-dir DIR [--overwrite]] [--save-buffer] [--print-config]\n"
       "       rlarena train --resume RUN_DIR [--key value ...]\n\n"
       "  --run-dir DIR    run directory (default runs/<algo>-<env>-<seed>-<time>/)\n"
       "  --overwrite      replace the run already in --run-dir (it is refused otherwise)\n"
       "  --resume DIR     continue the run in DIR from its last checkpoint, exactly (with it, only\n"
       "                   these keys may be given: " + resume_list + ")\n"
       "  --save-buffer    keep every transition and write DIR/buffer.hdf5 (D4RL layout) at the end\n"
       "  --print-config   print every key with its resolved value and exit\n\n"
       "Any recipe key can be given as --key value. Keys per algorithm (default values):\n";
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

}  // namespace

int cmd_train(const Args& args) {
  std::string recipe_path;
  RunOptions options;
  bool print_config = false;
  std::vector<std::string> words;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const auto value = [&](const char* name) {
      if (i + 1 >= args.size()) throw Error(std::string(name) + " needs a value");
      return args[++i];
    };
    if (a == "-h" || a == "--help") {
      std::cout << help_text();
      return 0;
    } else if (a == "--run-dir") {
      options.dir = value("--run-dir");
    } else if (a == "--resume") {
      options.dir = value("--resume");
      options.resume = true;
    } else if (a == "--overwrite") {
      options.overwrite = true;
    } else if (a == "--print-config") {
      print_config = true;
    } else if (a == "--save-buffer") {
      options.save_buffer = true;
    } else if (a.rfind("--", 0) != 0 && recipe_path.empty() && !options.resume &&
               (words.empty() || words.back().rfind("--", 0) != 0 || words.back().find('=') != std::string::npos)) {
      recipe_path = a;
    } else {
      words.push_back(a);
    }
  }
  const RawConfig overrides = read_overrides(words);
  if (recipe_path.empty() && !options.resume && !overrides.count("algo"))
    throw Error("train needs a recipe file (e.g. rlarena train recipes/ppo-cartpole.cfg), --algo NAME (its defaults) "
                "or --resume RUN_DIR");
  if (!recipe_path.empty() && options.resume)
    throw Error("give a recipe or --resume RUN_DIR, not both (a resumed run keeps its own config.cfg)");

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
  const RunResult r = train(recipe, options);
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
  std::printf("%s: %lld steps of %s in %.1f s; mean return of the last %zu episodes %.1f; run in %s\n",
              recipe.text("algo").c_str(), static_cast<long long>(r.steps), recipe.text("env").c_str(), r.wall_s,
              r.recent_returns.size(), mean, r.dir.c_str());
  if (!r.buffer.empty()) std::printf("buffer: %s\n", r.buffer.c_str());
  if (r.final_eval) {
    const ReturnStats& s = r.final_eval->stats;
    std::printf("eval: %lld episodes, mean %.1f +- %.1f, IQM %.1f, 95%% CI [%.1f, %.1f] -> %s/eval.json\n",
                static_cast<long long>(s.episodes), s.mean, s.std, s.iqm, s.ci_low, s.ci_high, r.dir.c_str());
  }
  if (!r.curve_error.empty()) std::fprintf(stderr, "note: no curve.png (%s)\n", r.curve_error.c_str());
  return 0;
}

}  // namespace rlarena::cli
