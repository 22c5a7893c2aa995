#include "agents/run/run.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>

#include "agents/algorithms.h"
#include "agents/common/run_dir.h"
#include "agents/common/torch_threads.h"
#include "agents/data/env_batches.h"
#include "agents/distributed/world.h"
#include "agents/policy/episode.h"
#include "agents/policy/load.h"
#include "agents/run/plot.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "common/progress.h"
#include "common/state_file.h"
#include "common/tensorboard.h"
#include "common/version.h"
#include "envs/core/registry.h"
#include "replay/d4rl.h"

namespace rlarena {

namespace {

namespace fs = std::filesystem;

constexpr int kVideoFps = 30;  // as rlarena render's default

std::atomic<bool> g_stop{false};
extern "C" void on_sigint(int) { g_stop.store(true); }

// Ctrl-C sets g_stop while a run is in progress; the previous handler comes back after.
class SigintGuard {
 public:
  explicit SigintGuard(bool on) : on_(on) {
    g_stop.store(false);
    if (on_) previous_ = std::signal(SIGINT, on_sigint);
  }
  ~SigintGuard() {
    if (on_) std::signal(SIGINT, previous_);
  }

 private:
  bool on_;
  void (*previous_)(int) = SIG_DFL;
};

std::string csv_number(double v) {
  if (std::isnan(v)) return "";
  std::ostringstream s;
  s.precision(8);
  s << v;
  return s.str();
}

}  // namespace

std::string progress_detail(int64_t step, double sps, const std::vector<double>& recent_returns,
                            std::optional<double> last_eval, double eta_s) {
  char text[160];
  int n = std::snprintf(text, sizeof text, "step %lld, %.0f SPS", static_cast<long long>(step), sps);
  if (!recent_returns.empty())
    n += std::snprintf(text + n, sizeof text - n, ", return %.1f",
                       std::accumulate(recent_returns.begin(), recent_returns.end(), 0.0) / recent_returns.size());
  else if (last_eval)
    n += std::snprintf(text + n, sizeof text - n, ", eval %.1f", *last_eval);
  std::snprintf(text + n, sizeof text - n, ", ETA %dm%02ds", static_cast<int>(eta_s) / 60, static_cast<int>(eta_s) % 60);
  return text;
}

namespace {

// The header and the rows whose step (first column) is <= `step`: a resumed run
// rewrites what followed its checkpoint. A last line without its line end (a run
// killed while writing it) is dropped.
std::string truncated_csv(const std::string& path, int64_t step) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + " is missing; give a run directory made by rlarena train");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t header_end = text.find('\n');
  if (header_end == std::string::npos || text.compare(0, 12, "global_step,") != 0)
    throw Error(path + " line 1: no global_step,... header; the file is damaged (or not made by rlarena train)");
  std::string kept = text.substr(0, header_end + 1);
  const size_t columns = static_cast<size_t>(std::count(text.begin(), text.begin() + header_end, ',')) + 1;
  size_t start = header_end + 1;
  for (int lineno = 2;; ++lineno) {
    const size_t end = text.find('\n', start);
    if (end == std::string::npos) break;  // the end, or a line cut short
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    char* after = nullptr;
    const long long row_step = std::strtoll(line.c_str(), &after, 10);
    if (after == line.c_str() || *after != ',' || row_step < 0)
      throw Error(path + " line " + std::to_string(lineno) + ": '" + line.substr(0, 40) +
                  "' does not start with a step; the file is damaged");
    if (row_step > step) break;
    // A kept row has the header's columns, each a number or empty (not a number).
    size_t cells = 0;
    for (size_t at = 0; at <= line.size(); ++cells) {
      const size_t comma = std::min(line.find(',', at), line.size());
      const std::string cell = line.substr(at, comma - at);
      char* end = nullptr;
      std::strtod(cell.c_str(), &end);
      if (!cell.empty() && *end != '\0')
        throw Error(path + " line " + std::to_string(lineno) + ": '" + cell.substr(0, 40) +
                    "' is not a number; the file is damaged");
      at = comma + 1;
    }
    if (cells != columns)
      throw Error(path + " line " + std::to_string(lineno) + ": " + std::to_string(cells) +
                  " columns, but the header has " + std::to_string(columns) + "; the file is damaged");
    kept += line + "\n";
  }
  return kept;
}

// metrics.csv's loss columns under CleanRL's TensorBoard tags.
std::string tensorboard_tag(const std::string& column) {
  static const std::map<std::string, std::string> renamed = {{"learning_rate", "charts/learning_rate"},
                                                             {"epsilon", "charts/epsilon"},
                                                             {"clip_fraction", "losses/clipfrac"},
                                                             {"q_value", "losses/q_values"},
                                                             {"qf_value", "losses/qf_values"}};
  const auto it = renamed.find(column);
  return it != renamed.end() ? it->second : "losses/" + column;
}

// Seconds since the epoch: TensorBoard's wall_time.
double unix_time() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// config.cfg's comments: what made the run. A resume keeps the lines of the commands
// before it and adds its own.
std::string config_header(const RunOptions& options) {
  std::string header = "# rlarena train: the fully resolved recipe of this run\n# rlarena " + std::string(kVersion) +
                       ", git commit " + git_commit() + "\n";
  if (options.resume) {
    std::ifstream old(RunDir{options.dir}.config());
    for (std::string line; std::getline(old, line);)
      if (line.rfind("# command: ", 0) == 0 || line.rfind("# resumed: ", 0) == 0) header += line + "\n";
  }
  if (!options.command_line.empty())
    header += (options.resume ? "# resumed: " : "# command: ") + options.command_line + "\n";
  return header;
}

class TrainingRun {
 public:
  TrainingRun(const Recipe& recipe, const RunOptions& options)
      : recipe_(recipe),
        options_(options),
        config_(recipe.config_text(config_header(options))),
        env_(recipe.text("env")),
        name_(recipe.text("algo") + " " + env_),
        dir_{options.dir.empty() ? default_run_dir(recipe) : options.dir},
        checkpoint_every_(recipe.integer("checkpoint_every", 0)),
        keep_checkpoints_(recipe.integer("keep_checkpoints", 0)),
        eval_every_(recipe.integer("eval_every", 0)),
        eval_episodes_(recipe.integer("eval_episodes", 0)),
        capture_video_(recipe.flag("capture_video")),
        eval_seed_(static_cast<uint64_t>(recipe.integer("seed")) + 1000000),  // unseen by training
        world_(current_world()),
        leader_(world_rank() == 0),
        world_size_(world_size()) {
    if (world_) check_distributed(recipe, options);
    set_torch_threads(static_cast<int>(recipe.integer("torch_threads", 1)));
    set_blas_threads(static_cast<int>(recipe.integer("blas_threads", 1)));
    StateMap checkpoint;
    keep_all_steps_ = options.save_buffer ? 1 : 0;
    if (options.resume) {
      if (!fs::exists(checkpoint_path()))
        throw Error(dir_.path + " has no " + fs::path(checkpoint_path()).filename().string() +
                    " to resume from; give a run directory made by rlarena train" +
                    (world_ ? " with as many ranks (--nproc)" : ""));
      checkpoint = load_state_file(checkpoint_path());
      keep_all_steps_ = get_state_value<uint8_t>(checkpoint, "run/keep_all_steps");
      if (options.save_buffer && !keep_all_steps_)
        throw Error("--save-buffer: " + dir_.path + " was started without it, so its store does not hold every "
                    "step; resume without --save-buffer");
    }
    TrainerOptions trainer_options;
    trainer_options.keep_all_steps = keep_all_steps_ != 0;
    trainer_ = find_algorithm(recipe.text("algo")).make_trainer(recipe, trainer_options);
    if (!leader_) {  // a follower rank writes only its checkpoint
      make_directory(dir_.checkpoints());
      if (options.resume) load_checkpoint(checkpoint);
      loss_names_ = trainer_->loss_names();
      return;
    }
    if (options.resume) reopen(checkpoint);
    else create();
    if (capture_video_ && eval_episodes_ > 0) probe_video();
    for (auto [stream, path] : {std::pair{&metrics_, dir_.metrics()}, {&episodes_, dir_.episodes()},
                                {&evals_, dir_.evals()}}) {
      stream->open(path, std::ios::app);
      if (!*stream) throw Error("cannot write " + path + "; give a writable --run-dir");
    }
    if (recipe.flag("tensorboard")) {
      tensorboard_ = std::make_unique<EventWriter>(dir_.path);
      // A resumed run forgets what it logged after its checkpoint; so does TensorBoard.
      if (options.resume) tensorboard_->restart(trainer_->global_step(), unix_time());
      tensorboard_->flush();
    }
    loss_names_ = trainer_->loss_names();
  }

  RunResult run() {
    SigintGuard sigint(options_.catch_sigint);
    start_ = std::chrono::steady_clock::now();
    const int64_t first_step = trainer_->global_step();
    std::optional<Progress> progress;
    if (leader_) progress.emplace("train " + name_, static_cast<double>(trainer_->total_steps()));
    bool stop = false;
    while (trainer_->global_step() < trainer_->total_steps() && !stop) {
      const int64_t before = trainer_->global_step();
      // The ranks stop together, at an iteration's end (a rank stopping inside one would
      // leave the others waiting in its collectives).
      static const std::atomic<bool> never{false};
      const Report r = trainer_->iterate(world_ ? never : g_stop);
      const double sps = (r.global_step - first_step) / std::max(1e-9, wall() - wall_offset_);  // this session's
      const JobMeans job = job_means(r, sps);  // every rank's part of the iteration
      stop = job.stop;
      if (!leader_) {
        if (checkpoint_every_ > 0 && r.global_step / checkpoint_every_ > before / checkpoint_every_) save_checkpoint();
        continue;
      }
      log(r, job);
      // Evaluate first, so that a checkpoint at the same step knows the best evaluation.
      if (eval_every_ > 0 && eval_episodes_ > 0 && r.global_step / eval_every_ > before / eval_every_)
        checkpoint_if_it_fails([&] { evaluate_now(); });
      if (checkpoint_every_ > 0 && r.global_step / checkpoint_every_ > before / checkpoint_every_) save_checkpoint();
      const double eta = sps > 0 ? (trainer_->total_steps() - r.global_step) / sps : 0;
      const std::optional<double> eval = last_eval_ ? std::optional<double>(last_eval_->stats.mean) : std::nullopt;
      progress->update(static_cast<double>(r.global_step),
                       progress_detail(r.global_step, sps, {recent_.begin(), recent_.end()}, eval, eta));
    }
    if (progress) progress->finish();
    RunResult result;
    result.dir = dir_.path;
    result.name = name_;
    result.steps = trainer_->global_step();
    result.recent_returns.assign(recent_.begin(), recent_.end());
    result.interrupted = stop || g_stop.load();
    if (!leader_) {
      save_checkpoint();
      result.wall_s = wall();
      return result;
    }
    const bool evaluated = last_eval_ && last_eval_step_ == result.steps;
    if (!result.interrupted && eval_episodes_ > 0 && !evaluated) checkpoint_if_it_fails([&] { evaluate_now(); });
    save_checkpoint();
    if (!result.interrupted) {
      if (options_.save_buffer) {
        write_d4rl(trainer_->store(), dir_.buffer(),
                   {{"env_id", env_}, {"env_kwargs", recipe_.kwargs().repr()}, {"policy", "training run " + dir_.path},
                    {"seed", recipe_.text("seed")}, {"rlarena_version", kVersion}, {"git_commit", git_commit()}},
                   {});
        result.buffer = dir_.buffer();
      }
      if (eval_episodes_ > 0) {
        result.final_eval = last_eval_;
        result.score_refs = trainer_->score_refs();
        write_file_atomically(dir_.eval(),
                              eval_json(*last_eval_, env_, eval_seed_, Acting::Deterministic, result.steps,
                                        trainer_->score_refs()));
      }
      try {
        plot_runs({dir_.path}, dir_.curve(), name_);
      } catch (const Error& e) {
        result.curve_error = e.what();
      }
    }
    result.wall_s = wall();
    return result;
  }

 private:
  double wall() const {
    return wall_offset_ + std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

  // Runs `work`; if it throws (a full disk, ffmpeg gone), the training so far is saved first.
  template <typename Work>
  void checkpoint_if_it_fails(const Work& work) {
    try {
      work();
    } catch (...) {
      save_checkpoint();
      throw;
    }
  }

  // A frame through ffmpeg into videos/, so a missing encoder fails now, not mid-run.
  void probe_video() {
    auto env = make(env_, recipe_.kwargs());
    env->reset(0);
    make_directory(dir_.videos());
    const std::string probe = dir_.videos() + "/.probe.mp4";
    VideoWriter video(probe, kVideoFps);
    video.add(env->render());
    video.close();
    std::remove(probe.c_str());
  }

  static void make_directory(const std::string& path) {
    std::error_code ec;
    fs::create_directories(path, ec);
    if (ec || !fs::is_directory(path))
      throw Error("cannot create " + path + " (" + ec.message() + "); give a writable --run-dir");
  }

  // The run's own state in its checkpoints, besides the trainer's.
  void declare(Parts& parts) {
    parts.value("run/wall_s", saved_wall_).value("run/best_mean", best_mean_);
    parts.value("run/keep_all_steps", keep_all_steps_);  // also read before the trainer is made
    // The ranks it was trained with (1 where the key is absent: checkpoints before distributed runs).
    parts.custom(
        "run/world_size", [this](StateMap& s) { put_state(s, "run/world_size", static_cast<int64_t>(world_size_)); },
        [this](const StateMap& s) {
          const int64_t saved = s.count("run/world_size") ? get_state_value<int64_t>(s, "run/world_size") : 1;
          if (saved != world_size_)
            throw Error(dir_.path + " was trained with " + std::to_string(saved) + " rank" + (saved > 1 ? "s" : "") +
                        "; resume it with as many (--nproc " + std::to_string(saved) + "), not " +
                        std::to_string(world_size_));
        });
  }

  // Rank 0's checkpoint is latest.h5; rank k's, beside it, rank<k>.h5.
  std::string checkpoint_path() const {
    return leader_ ? dir_.checkpoint() : dir_.checkpoints() + "/rank" + std::to_string(world_rank()) + ".h5";
  }

  // What a distributed run cannot do (yet), before anything is written.
  static void check_distributed(const Recipe& recipe, const RunOptions& options) {
    const std::string& algo = recipe.text("algo");
    static const std::vector<std::string> covered = {"ppo", "a2c", "dqn", "sac", "td3",
                                                     "bc",  "td3_bc", "iql", "cql", "discrete_cql"};
    if (std::find(covered.begin(), covered.end(), algo) == covered.end())
      throw Error("algo = " + algo + ": distributed training (WORLD_SIZE, --nproc) covers ppo, a2c, dqn, sac, td3, "
                  "bc, td3_bc, iql, cql and discrete_cql so far; train " + algo + " in one process");
    if (options.save_buffer) throw Error("--save-buffer: a distributed run's steps are spread over its ranks; "
                                         "train in one process to keep them all");
  }

  void load_checkpoint(const StateMap& state) {
    trainer_->load(state);
    Parts parts;
    declare(parts);
    parts.load(state);
    wall_offset_ = saved_wall_;
    if (!world_) return;
    // A rank that died between the ranks' checkpoint writes leaves them at different steps.
    // All steps are equal when n * sum(step^2) = sum(step)^2, which every rank sees alike.
    const double step = static_cast<double>(trainer_->global_step());
    torch::Tensor sums = torch::tensor({step, step * step}, torch::kFloat64);
    world_->all_reduce_sum(sums);
    const double sum = sums[0].item<double>(), squares = sums[1].item<double>();
    if (world_size_ * squares != sum * sum)
      throw Error(dir_.path + ": the ranks' checkpoints are from different steps (this rank's: " +
                  std::to_string(trainer_->global_step()) + "; a rank ended while they were written); " +
                  "start the run again, or resume from checkpoints of one step");
  }

  // The iteration's figures over every rank: episodes and their mean return and length,
  // the job's env steps per second, the losses' means; and whether any rank stops.
  struct JobMeans {
    double episodes = 0, mean_return = NAN, mean_length = NAN, sps = 0;
    std::vector<double> losses;
    bool stop = false;
  };
  JobMeans job_means(const Report& r, double sps) {
    JobMeans job;
    job.losses = r.losses;
    job.stop = g_stop.load();
    double returns = 0, lengths = 0;
    for (size_t k = 0; k < r.episode_returns.size(); ++k) returns += r.episode_returns[k], lengths += r.episode_lengths[k];
    job.episodes = static_cast<double>(r.episode_returns.size());
    job.sps = sps;
    if (world_) {
      std::vector<double> v = {job.episodes, returns, lengths, job.stop ? 1.0 : 0.0};
      v.insert(v.end(), r.losses.begin(), r.losses.end());
      torch::Tensor t = torch::tensor(v, torch::kFloat64);
      world_->all_reduce_sum(t);
      const double* sum = t.data_ptr<double>();
      job.episodes = sum[0], returns = sum[1], lengths = sum[2], job.stop = sum[3] > 0;
      for (size_t k = 0; k < job.losses.size(); ++k) job.losses[k] = sum[4 + k] / world_size_;
      // global_step counts the job's steps (every rank's): so does the rate.
    }
    if (job.episodes > 0) job.mean_return = returns / job.episodes, job.mean_length = lengths / job.episodes;
    return job;
  }

  // evals.csv's columns: a normalized score too when the run's references are known.
  std::string evals_header() const {
    return std::string("global_step,wall_s,episodes,mean,std,iqm,ci_low,ci_high") +
           (trainer_->score_refs() ? ",normalized" : "") + "\n";
  }

  void create() {
    // Another run's files would mix with this one's (its best.h5, kept checkpoints, videos).
    if (options_.overwrite) remove_run_files();
    for (const std::string& f : {dir_.config(), dir_.checkpoint(), dir_.metrics()})
      if (fs::exists(f))
        throw Error(dir_.path + " already holds a run; continue it with --resume " + dir_.path +
                    ", replace it with --overwrite, or give another --run-dir");
    std::error_code ec;
    fs::create_directories(dir_.checkpoints(), ec);
    if (ec || !fs::is_directory(dir_.checkpoints()))
      throw Error("cannot create run directory " + dir_.path + " (" + ec.message() + "); give a writable --run-dir");
    write_file_atomically(dir_.config(), config_);
    std::string header = "global_step,wall_s,episodic_return,episodic_length,episodes";
    for (const auto& name : trainer_->loss_names()) header += "," + name;
    write_file_atomically(dir_.metrics(), header + ",sps\n");
    write_file_atomically(dir_.episodes(), "global_step,wall_s,return,length\n");
    write_file_atomically(dir_.evals(), evals_header());
  }

  // What an earlier run in this directory wrote; other files are left alone.
  void remove_run_files() {
    std::error_code ec;
    for (const std::string& f : {dir_.config(), dir_.metrics(), dir_.episodes(), dir_.evals(), dir_.eval(),
                                 dir_.curve(), dir_.buffer(), dir_.checkpoints(), dir_.videos()})
      if (fs::remove_all(f, ec) == static_cast<std::uintmax_t>(-1) || ec)
        throw Error("--overwrite: cannot remove " + f + " (" + ec.message() + ")");
    for (const std::string& f : event_files(dir_.path))
      if (!fs::remove(f, ec) || ec) throw Error("--overwrite: cannot remove " + f + " (" + ec.message() + ")");
  }

  // Temporaries a killed run left (a checkpoint or CSV cut short before its rename).
  void remove_leftovers() {
    std::error_code ec;
    for (const std::string& folder : {dir_.path, dir_.checkpoints()})
      for (const auto& e : fs::directory_iterator(folder, ec))
        if (e.path().filename().string().find(".tmp.") != std::string::npos) fs::remove(e.path(), ec);
  }

  void reopen(const StateMap& state) {
    remove_leftovers();
    load_checkpoint(state);
    if (trainer_->global_step() >= trainer_->total_steps())
      throw Error(dir_.path + " finished at step " + std::to_string(trainer_->global_step()) +
                  "; to train it on, give --resume " + dir_.path + " --total_steps N with N larger");
    // Every file is checked before any is rewritten: a damaged one stops the resume
    // with the run as it was.
    const int64_t step = trainer_->global_step();
    if (!fs::exists(dir_.evals()))
      write_file_atomically(dir_.evals(), evals_header());
    const std::string metrics = truncated_csv(dir_.metrics(), step), episodes = truncated_csv(dir_.episodes(), step),
                      evals = truncated_csv(dir_.evals(), step);
    write_file_atomically(dir_.metrics(), metrics);
    write_file_atomically(dir_.episodes(), episodes);
    write_file_atomically(dir_.evals(), evals);
    write_file_atomically(dir_.config(), config_);
  }

  // metrics.csv has the job's figures (every rank's); episodes.csv and the recent
  // returns, this process's episodes (rank 0's in a distributed run).
  void log(const Report& r, const JobMeans& job) {
    const double ret = job.mean_return, len = job.mean_length;
    for (double x : r.episode_returns) {
      recent_.push_back(x);
      if (recent_.size() > 20) recent_.pop_front();
    }
    metrics_ << r.global_step << "," << csv_number(wall()) << "," << csv_number(ret) << "," << csv_number(len) << ","
             << static_cast<int64_t>(job.episodes);
    for (double l : job.losses) metrics_ << "," << csv_number(l);
    metrics_ << "," << csv_number(job.sps) << "\n";
    metrics_.flush();  // the log survives a crash up to the last iteration
    for (size_t k = 0; k < r.episode_returns.size(); ++k)
      episodes_ << r.episode_ends[k] << "," << csv_number(wall()) << "," << csv_number(r.episode_returns[k]) << ","
                << r.episode_lengths[k] << "\n";
    episodes_.flush();
    if (!tensorboard_) return;
    const double now = unix_time();
    for (size_t k = 0; k < r.episode_returns.size(); ++k) {
      tensorboard_->scalar("charts/episodic_return", r.episode_returns[k], r.episode_ends[k], now);
      tensorboard_->scalar("charts/episodic_length", static_cast<double>(r.episode_lengths[k]), r.episode_ends[k], now);
    }
    for (size_t k = 0; k < job.losses.size() && k < loss_names_.size(); ++k)
      tensorboard_->scalar(tensorboard_tag(loss_names_[k]), job.losses[k], r.global_step, now);
    tensorboard_->scalar("charts/SPS", job.sps, r.global_step, now);
    tensorboard_->flush();
  }

  // The learner's parts and what load_policy needs: enough to act, not to resume.
  StateMap policy_state() {
    StateMap state;
    trainer_->learner().save(state);
    put_policy_header(state, config_, trainer_->learner(), trainer_->global_step());
    return state;
  }

  void save_checkpoint() {
    StateMap state;
    trainer_->save(state);
    put_policy_header(state, config_, trainer_->learner(), trainer_->global_step());
    saved_wall_ = wall();
    Parts parts;
    declare(parts);
    parts.save(state);
    save_state_file(checkpoint_path(), state);
    if (keep_checkpoints_ > 0 && leader_) keep_history();
  }

  // checkpoints/step_<N>.h5: a second name of the checkpoint just written (a hard link:
  // the next checkpoint replaces latest.h5 by a rename, so this file stays as it is),
  // and only the last keep_checkpoints of them.
  void keep_history() {
    const std::string kept = dir_.checkpoints() + "/step_" + std::to_string(trainer_->global_step()) + ".h5";
    std::error_code ec;
    fs::remove(kept, ec);
    fs::create_hard_link(dir_.checkpoint(), kept, ec);
    if (ec) {  // a file system without hard links: a copy, renamed into place when whole
      const std::string tmp = kept + ".tmp";
      ec.clear();
      fs::copy_file(dir_.checkpoint(), tmp, fs::copy_options::overwrite_existing, ec);
      if (!ec) fs::rename(tmp, kept, ec);
      if (ec) throw Error("cannot keep " + kept + " (" + ec.message() + "); check free space in " + dir_.path);
    }
    std::vector<std::pair<int64_t, fs::path>> history;
    for (const auto& entry : fs::directory_iterator(dir_.checkpoints(), ec)) {
      const std::string f = entry.path().filename().string();
      if (f.rfind("step_", 0) == 0 && entry.path().extension() == ".h5")
        history.emplace_back(std::strtoll(f.c_str() + 5, nullptr, 10), entry.path());
    }
    std::sort(history.begin(), history.end());
    for (size_t i = 0; i + keep_checkpoints_ < history.size(); ++i) fs::remove(history[i].second, ec);
  }

  // A deterministic evaluation of the current policy: a row of evals.csv, best.h5 when
  // it is the best so far, and a video of its first episode when asked.
  void evaluate_now() {
    Learner& policy = trainer_->learner();
    const int64_t step = trainer_->global_step();
    // eval_episodes counts env episodes: a multi-agent env's count once per agent row.
    EnvBatchOptions rows;
    rows.num_envs = std::min<int64_t>(8, eval_episodes_);
    rows.seed = eval_seed_;
    rows.evaluation = true;
    const std::unique_ptr<EnvBatch> batch = make_env_batch(recipe_, rows);
    const int64_t per_env = batch->rows() / rows.num_envs;
    last_eval_ = evaluate(policy, *batch, eval_episodes_ * per_env, eval_seed_, Acting::Deterministic);
    last_eval_step_ = step;
    const ReturnStats& s = last_eval_->stats;
    evals_ << step << "," << csv_number(wall()) << "," << s.episodes << "," << csv_number(s.mean) << ","
           << csv_number(s.std) << "," << csv_number(s.iqm) << "," << csv_number(s.ci_low) << ","
           << csv_number(s.ci_high);
    if (const auto refs = trainer_->score_refs()) evals_ << "," << csv_number(refs->normalized(s.mean));
    evals_ << "\n";
    evals_.flush();
    if (tensorboard_) {
      const double now = unix_time();
      for (const auto& [tag, value] : {std::pair{"eval/mean_return", s.mean}, {"eval/std_return", s.std},
                                       {"eval/iqm_return", s.iqm}, {"eval/ci_low", s.ci_low}, {"eval/ci_high", s.ci_high}})
        tensorboard_->scalar(tag, value, step, now);
      if (const auto refs = trainer_->score_refs())
        tensorboard_->scalar("eval/normalized_score", refs->normalized(s.mean), step, now);
      tensorboard_->flush();
    }
    if (s.mean > best_mean_) {
      best_mean_ = s.mean;
      save_state_file(dir_.best(), policy_state());
    }
    if (!capture_video_) return;
    make_directory(dir_.videos());
    auto env = make(env_, recipe_.kwargs());
    VideoWriter video(dir_.videos() + "/step_" + std::to_string(step) + ".mp4", kVideoFps);
    VideoOptions one;
    one.seed = eval_seed_;
    record_episodes(*env, policy, one, video);
    video.close();
  }

  const Recipe& recipe_;
  RunOptions options_;
  std::string config_, env_, name_;
  RunDir dir_;
  int64_t checkpoint_every_, keep_checkpoints_, eval_every_, eval_episodes_;
  bool capture_video_;
  uint64_t eval_seed_;
  std::unique_ptr<Trainer> trainer_;
  std::ofstream metrics_, episodes_, evals_;
  std::unique_ptr<EventWriter> tensorboard_;  // null with tensorboard = false
  std::vector<std::string> loss_names_;
  std::chrono::steady_clock::time_point start_;
  double wall_offset_ = 0, saved_wall_ = 0;
  uint8_t keep_all_steps_ = 0;  // the store holds every step (--save-buffer)
  double best_mean_ = -std::numeric_limits<double>::infinity();
  std::deque<double> recent_;
  std::optional<EvalResult> last_eval_;
  int64_t last_eval_step_ = -1;
  World* world_;      // the job's ranks, or null
  bool leader_;       // rank 0 (or no job): writes the run directory
  int world_size_;
};

}  // namespace

std::string default_run_dir(const Recipe& r) {
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::gmtime(&now));
  return "runs/" + r.text("algo") + "-" + r.text("env") + "-" + r.text("seed") + "-" + stamp;
}

const std::vector<std::string>& resume_keys() {
  static const std::vector<std::string> keys = {"total_steps",   "checkpoint_every", "keep_checkpoints", "eval_every",
                                                "eval_episodes", "capture_video",    "env_threads",      "tensorboard",
                                                "dist_timeout"};
  return keys;
}

Recipe run_recipe(const std::string& dir, const RawConfig& overrides) {
  // The rest would change what the checkpoint's state means (or the numbers it goes on with).
  std::string allowed;
  for (const auto& k : resume_keys()) allowed += (allowed.empty() ? "" : ", ") + k;
  for (const auto& [key, values] : overrides)
    if (std::find(resume_keys().begin(), resume_keys().end(), key) == resume_keys().end())
      throw Error("--" + key + ": a resumed run keeps its recipe; on resume only " + allowed +
                  " may change (start a new run to change " + key + ")");
  const std::string path = RunDir{dir}.config();
  std::ifstream file(path);
  if (!file) throw Error(path + ": not found; give a run directory made by rlarena train");
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  return make_recipe(read_config(text, path), overrides, path);
}

RunResult train(const Recipe& recipe, const RunOptions& options) {
  if (options.resume && options.dir.empty()) throw Error("resuming needs the run directory; give --resume RUN_DIR");
  if (options.resume && options.overwrite) throw Error("give --resume (continue the run) or --overwrite, not both");
  TrainingRun run(recipe, options);
  return run.run();
}

}  // namespace rlarena
