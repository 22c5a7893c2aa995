// rlarena train RECIPE [--key value ...]: trains an agent from a recipe file into a
// run directory (config.cfg, metrics.csv, episodes.csv, checkpoints/latest.h5,
// eval.json, curve.png). --resume RUN_DIR continues a run exactly from its last checkpoint;
// Ctrl-C saves a checkpoint and stops.
#include <csignal>
#include <chrono>
#include <cmath>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>
#include <sstream>

#include "agents/common/evaluation.h"
#include "agents/common/torch_threads.h"
#include "cli/atomic_file.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/run_files.h"
#include "cli/version.h"
#include "envs/core/error.h"
#include "replay/d4rl.h"
#include "replay/state_file.h"

namespace rlarena::cli {

namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_stop{false};
extern "C" void on_sigint(int) { g_stop.store(true); }

std::string timestamp() {
  const std::time_t now = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", std::gmtime(&now));
  return buf;
}

std::string help_text() {
  std::ostringstream s;
  s << "usage: rlarena train RECIPE [--key value ...] [--run-dir DIR] [--save-buffer] [--print-config]\n"
       "       rlarena train --resume RUN_DIR [--key value ...]\n\n"
       "  --run-dir DIR    run directory (default runs/<recipe>-<seed>-<time>/)\n"
       "  --resume DIR     continue the run in DIR from its last checkpoint, exactly\n"
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

std::string csv_number(double v) {
  if (std::isnan(v)) return "";
  std::ostringstream s;
  s.precision(8);
  s << v;
  return s.str();
}

// Keeps the header and the rows up to `step` (a resumed run rewrites what followed its checkpoint).
void truncate_metrics(const std::string& path, int64_t step) {
  std::ifstream in(path);
  if (!in) throw Error(path + " is missing; give a run directory made by rlarena train");
  std::string line, kept;
  std::getline(in, line);
  kept = line + "\n";
  while (std::getline(in, line)) {
    if (std::stoll(line.substr(0, line.find(','))) > step) break;
    kept += line + "\n";
  }
  write_file_atomically(path, kept);
}

}  // namespace

int cmd_train(const Args& args) {
  std::string recipe_path, run_dir, resume;
  bool print_config = false, save_buffer = false;
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
      run_dir = value("--run-dir");
    } else if (a == "--resume") {
      resume = value("--resume");
    } else if (a == "--print-config") {
      print_config = true;
    } else if (a == "--save-buffer") {
      save_buffer = true;
    } else if (a.rfind("--", 0) != 0 && recipe_path.empty() && resume.empty() &&
               (words.empty() || words.back().rfind("--", 0) != 0 || words.back().find('=') != std::string::npos)) {
      recipe_path = a;
    } else {
      words.push_back(a);
    }
  }
  const RawConfig overrides = read_overrides(words);
  if (recipe_path.empty() && resume.empty() && !overrides.count("algo"))
    throw Error("train needs a recipe file (e.g. rlarena train recipes/ppo-cartpole.cfg), --algo NAME (its defaults) "
                "or --resume RUN_DIR");
  if (!recipe_path.empty() && !resume.empty())
    throw Error("give a recipe or --resume RUN_DIR, not both (a resumed run keeps its own config.cfg)");

  // The recipe: a file, or a resumed run's resolved config, with overrides on top.
  // (With neither, --algo NAME trains on that algorithm's defaults.)
  const std::string source = !resume.empty() ? RunDir{resume}.config() : recipe_path;
  std::string text;
  if (!source.empty()) {
    std::ifstream file(source);
    if (!file)
      throw Error(source + (resume.empty() ? ": no such recipe file; see recipes/ for the built-in ones"
                                           : ": not found; give a run directory made by rlarena train"));
    text.assign((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  }
  const std::string name = source.empty() ? "command line" : source;
  const Recipe recipe = make_recipe(read_config(text, name), overrides, name);
  const std::string config = recipe.config_text("# rlarena train: the fully resolved recipe of this run\n");
  if (print_config) {
    std::cout << config;
    return 0;
  }
  const int64_t checkpoint_every = recipe.integer("checkpoint_every", 0);
  const int64_t eval_episodes = recipe.integer("eval_episodes", 0);
  set_torch_threads(static_cast<int>(recipe.integer("torch_threads", 1)));
  set_blas_threads(static_cast<int>(recipe.integer("blas_threads", 1)));
  std::unique_ptr<Trainer> trainer = find_algorithm(recipe.text("algo")).make(recipe, {false, save_buffer});

  // The run directory.
  const std::string stem = !resume.empty() ? fs::path(resume).filename().string()
                           : !recipe_path.empty() ? fs::path(recipe_path).stem().string()
                                                  : recipe.text("algo") + "-" + recipe.text("env");
  RunDir dir{!resume.empty() ? resume
                             : !run_dir.empty() ? run_dir
                                                : "runs/" + stem + "-" + recipe.text("seed") + "-" + timestamp()};
  double wall_offset = 0;
  std::vector<std::string> columns = {"global_step", "wall_s", "episodic_return", "episodic_length", "episodes"};
  for (const auto& name : trainer->loss_names()) columns.push_back(name);
  columns.push_back("sps");
  if (!resume.empty()) {
    const StateMap state = load_state_file(dir.checkpoint());
    trainer->load(state);
    wall_offset = get_state_value<double>(state, "run/wall_s");
    truncate_metrics(dir.metrics(), trainer->global_step());
    truncate_metrics(dir.episodes(), trainer->global_step());
    write_file_atomically(dir.config(), config);
  } else {
    std::error_code ec;
    fs::create_directories(dir.path + "/checkpoints", ec);
    if (ec || !fs::is_directory(dir.path + "/checkpoints"))
      throw Error("cannot create run directory " + dir.path + " (" + ec.message() + "); give a writable --run-dir");
    write_file_atomically(dir.config(), config);
    std::string header;
    for (const auto& c : columns) header += (header.empty() ? "" : ",") + c;
    write_file_atomically(dir.metrics(), header + "\n");
    write_file_atomically(dir.episodes(), "global_step,wall_s,return,length\n");
  }
  std::ofstream metrics(dir.metrics(), std::ios::app), episodes(dir.episodes(), std::ios::app);
  if (!metrics || !episodes) throw Error("cannot write " + dir.metrics() + "; give a writable --run-dir");

  const auto start = std::chrono::steady_clock::now();
  const auto wall = [&] {
    return wall_offset + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  const auto save_checkpoint = [&] {
    StateMap state;
    trainer->save(state);
    put_text(state, "recipe", config);
    put_state(state, "run/wall_s", wall());
    save_state_file(dir.checkpoint(), state);
  };

  g_stop.store(false);
  const auto previous = std::signal(SIGINT, on_sigint);
  std::deque<double> recent;
  const int64_t first_step = trainer->global_step();
  Progress progress("train " + stem, static_cast<double>(trainer->total_steps()));
  while (trainer->global_step() < trainer->total_steps() && !g_stop.load()) {
    const int64_t before = trainer->global_step();
    const Report r = trainer->iterate(g_stop);
    double ret = NAN, len = NAN;
    if (!r.episode_returns.empty()) {
      ret = std::accumulate(r.episode_returns.begin(), r.episode_returns.end(), 0.0) / r.episode_returns.size();
      len = std::accumulate(r.episode_lengths.begin(), r.episode_lengths.end(), 0.0) / r.episode_lengths.size();
    }
    for (double x : r.episode_returns) {
      recent.push_back(x);
      if (recent.size() > 20) recent.pop_front();
    }
    const double sps = (r.global_step - first_step) / std::max(1e-9, wall() - wall_offset);  // this session's steps
    metrics << r.global_step << "," << csv_number(wall()) << "," << csv_number(ret) << "," << csv_number(len) << ","
            << r.episode_returns.size();
    for (double l : r.losses) metrics << "," << csv_number(l);
    metrics << "," << csv_number(sps) << "\n";
    metrics.flush();  // the log survives a crash up to the last iteration
    for (size_t k = 0; k < r.episode_returns.size(); ++k)
      episodes << r.episode_ends[k] << "," << csv_number(wall()) << "," << csv_number(r.episode_returns[k]) << ","
               << r.episode_lengths[k] << "\n";
    episodes.flush();
    if (checkpoint_every > 0 && r.global_step / checkpoint_every > before / checkpoint_every) save_checkpoint();
    const double mean = recent.empty() ? NAN : std::accumulate(recent.begin(), recent.end(), 0.0) / recent.size();
    const double eta = sps > 0 ? (trainer->total_steps() - r.global_step) / sps : 0;
    char detail[128];
    std::snprintf(detail, sizeof detail, "step %lld, %.0f SPS, return %.1f, ETA %dm%02ds",
                  static_cast<long long>(r.global_step), sps, mean, static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
    progress.update(static_cast<double>(r.global_step), detail);
  }
  progress.finish();
  std::signal(SIGINT, previous);
  save_checkpoint();
  const double mean = recent.empty() ? NAN : std::accumulate(recent.begin(), recent.end(), 0.0) / recent.size();
  if (g_stop.load()) {
    std::printf("interrupted at step %lld; checkpoint saved in %s; continue with: rlarena train --resume %s\n",
                static_cast<long long>(trainer->global_step()), dir.checkpoint().c_str(), dir.path.c_str());
    return 130;
  }
  std::printf("%s: %lld steps of %s in %.1f s; mean return of the last %zu episodes %.1f; run in %s\n",
              stem.c_str(), static_cast<long long>(trainer->global_step()), recipe.text("env").c_str(), wall(),
              recent.size(), mean, dir.path.c_str());
  if (save_buffer) {
    write_d4rl(trainer->store(), dir.path + "/buffer.hdf5",
               {{"env_id", recipe.text("env")}, {"env_kwargs", recipe.kwargs().repr()}, {"policy", "training run " + dir.path},
                {"seed", recipe.text("seed")}, {"rlarena_version", kVersion}, {"git_commit", kGitCommit}},
               {});
    std::printf("buffer: %s/buffer.hdf5\n", dir.path.c_str());
  }
  if (eval_episodes > 0) {
    const uint64_t seed = static_cast<uint64_t>(recipe.integer("seed")) + 1000000;  // unseen by training
    const EvalResult e = evaluate(*trainer, recipe.text("env"), recipe.kwargs(), eval_episodes, seed, true);
    write_file_atomically(dir.eval(), eval_json(e, recipe.text("env"), seed, true, trainer->global_step()));
    std::printf("eval: %lld episodes, mean %.1f +- %.1f, IQM %.1f, 95%% CI [%.1f, %.1f] -> %s\n",
                static_cast<long long>(e.stats.episodes), e.stats.mean, e.stats.std, e.stats.iqm, e.stats.ci_low,
                e.stats.ci_high, dir.eval().c_str());
  }
  try {
    plot_runs({dir.path}, dir.curve(), recipe.text("algo") + " " + recipe.text("env"));
  } catch (const Error& e) {
    std::fprintf(stderr, "note: no curve.png (%s)\n", e.what());
  }
  return 0;
}

}  // namespace rlarena::cli
