// Run: a training run and the directory it owns. It drives a Trainer (a learner fed by
// its data source) to the recipe's step budget and writes, as it goes:
//   config.cfg        the fully resolved recipe, after comments naming the rlarena
//                     version, git commit and the command lines that started and resumed it
//   metrics.csv       one row per iteration: step, wall time, episodes, losses, SPS
//   episodes.csv      one row per finished episode
//   evals.csv         one row per deterministic evaluation (every eval_every steps, and at the end)
//   checkpoints/      latest.h5 (resume from it), best.h5 (the policy of the best evaluation),
//                     step_<N>.h5 (the last keep_checkpoints checkpoints)
//   videos/           step_<N>.mp4: one evaluation episode per evaluation (capture_video)
//   eval.json         the final evaluation; curve.png, the learning curve
// Ctrl-C stops at a step boundary and saves a checkpoint; a resumed run continues
// exactly where the checkpoint left it, and its files lose the rows written after it.
// A directory that already holds a run is refused unless the run is resumed or
// overwritten.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agents/common/recipe.h"
#include "agents/common/score.h"
#include "agents/policy/evaluation.h"

namespace rlarena {

struct RunOptions {
  std::string dir;            // empty: runs/<algo>-<env>-<seed>-<time>
  bool resume = false;        // continue the run in `dir` from checkpoints/latest.h5
  bool overwrite = false;     // replace the run already in `dir` (otherwise it is refused)
  bool save_buffer = false;   // keep every transition; write buffer.hdf5 (D4RL layout) at the end
  bool catch_sigint = true;   // Ctrl-C stops the run at a step boundary, with a checkpoint
  std::string command_line;   // recorded in config.cfg (with the version and git commit)
};

struct RunResult {
  std::string dir;
  std::string name;  // "<algo> <env>"
  int64_t steps = 0;
  double wall_s = 0;
  std::vector<double> recent_returns;  // the last 20 episodes
  bool interrupted = false;
  std::optional<EvalResult> final_eval;
  std::optional<ScoreRefs> score_refs;  // when known, the final evaluation's normalized score is shown
  std::string buffer;       // buffer.hdf5's path when written
  std::string curve_error;  // why curve.png was not drawn, when it was not
};

// Trains the recipe's algorithm into its run directory; progress goes to stderr.
RunResult train(const Recipe& recipe, const RunOptions& options);

// The keys a resumed run may change: how long it trains, how often it checkpoints and
// evaluates, and env threads (results do not depend on them).
const std::vector<std::string>& resume_keys();
// The recipe of the run in `dir` (its config.cfg) with `overrides` (of resume_keys()
// only) on top, to resume it.
Recipe run_recipe(const std::string& dir, const RawConfig& overrides);

// The progress line's detail: step, speed, the mean return of the recent training
// episodes, or with none (an offline run) the last evaluation's, and the time left.
std::string progress_detail(int64_t step, double sps, const std::vector<double>& recent_returns,
                            std::optional<double> last_eval, double eta_s);

// runs/<algo>-<env>-<seed>-<UTC time>: named after what is trained, whatever the recipe file.
std::string default_run_dir(const Recipe& recipe);

}  // namespace rlarena
