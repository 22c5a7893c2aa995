// Runs: evaluation during training (evals.csv, best.h5, videos), a history of
// checkpoints, and run directories named after what is trained.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "agent_helpers.h"
#include "agents/common/run_dir.h"
#include "agents/policy/load.h"
#include "agents/run/run.h"
#include "common/tensorboard.h"
#include "temp_path.h"

using namespace rlarena;
using agent_test::recipe_of;

namespace fs = std::filesystem;

namespace {

std::vector<std::vector<std::string>> csv_rows(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

}  // namespace

TEST_CASE("A run evaluates every eval_every steps, keeps the best policy and the last checkpoints",
          "[agents][run]") {
  const std::string dir = rlarena::test::temp_path("run");
  const Recipe r = recipe_of("ppo", {{"num_envs", "4"}, {"num_steps", "64"}, {"total_steps", "4096"},
                                     {"learning_rate", "0.002"}, {"eval_every", "1024"}, {"eval_episodes", "3"},
                                     {"checkpoint_every", "1024"}, {"keep_checkpoints", "2"},
                                     {"capture_video", "true"}});
  RunOptions options;
  options.dir = dir;
  options.catch_sigint = false;
  const RunResult result = train(r, options);
  REQUIRE(result.steps == 4096);
  const RunDir run{dir};
  // One row per evaluation, at 1024, 2048, 3072 and 4096; the final evaluation is the last row.
  const auto evals = csv_rows(run.evals());
  REQUIRE(evals.size() == 5);
  CHECK(evals[0] == std::vector<std::string>{"global_step", "wall_s", "episodes", "mean", "std", "iqm", "ci_low",
                                             "ci_high"});
  double best = -1e300;
  std::string best_step;
  for (size_t i = 1; i < evals.size(); ++i) {
    CHECK(evals[i][0] == std::to_string(1024 * i));
    CHECK(evals[i][2] == "3");
    if (std::stod(evals[i][3]) > best) best = std::stod(evals[i][3]), best_step = evals[i][0];
  }
  REQUIRE(result.final_eval);
  CHECK(result.final_eval->stats.mean == Approx(std::stod(evals[4][3])));
  // best.h5 is the policy of the best row; it loads like any checkpoint.
  const LoadedPolicy p = load_policy(run.best());
  CHECK(std::to_string(p.global_step) == best_step);
  // The last two checkpoints are kept beside latest.h5.
  std::vector<std::string> kept;
  for (const auto& e : fs::directory_iterator(run.checkpoints())) kept.push_back(e.path().filename().string());
  std::sort(kept.begin(), kept.end());
  CHECK(kept == std::vector<std::string>{"best.h5", "latest.h5", "step_3072.h5", "step_4096.h5"});
  // A video of one evaluation episode per evaluation.
  for (int step : {1024, 2048, 3072, 4096})
    CHECK(fs::file_size(run.videos() + "/step_" + std::to_string(step) + ".mp4") > 1000);
  CHECK(fs::exists(run.eval()));
  fs::remove_all(dir);
}

TEST_CASE("Evaluating during training does not change the training", "[agents][run]") {
  const std::string base = rlarena::test::temp_path("evaluated");
  std::vector<std::vector<std::vector<std::string>>> metrics;
  for (const std::string eval_every : {"0", "512"}) {
    for (const std::string algo : {"dqn", "sac"}) {
      const std::map<std::string, std::string> small = {
          {"total_steps", "1500"}, {"learning_starts", "500"}, {"buffer_size", "2000"}, {"batch_size", "32"},
          {"hidden", "16"}, {"log_every", "250"}, {"eval_every", eval_every}, {"eval_episodes", "2"}};
      auto values = small;
      if (algo == "sac") values["env"] = "Pendulum-v1", values["kwarg"] = "max_episode_steps=100";
      RunOptions options;
      options.dir = base + "_" + algo + "_" + eval_every;
      options.catch_sigint = false;
      train(recipe_of(algo, values), options);
      auto rows = csv_rows(RunDir{options.dir}.metrics());
      for (auto& row : rows) row.erase(row.begin() + 1), row.pop_back();  // wall_s, sps
      metrics.push_back(rows);
      CHECK(csv_rows(RunDir{options.dir}.evals()).size() == (eval_every == "0" ? 2u : 4u));
      fs::remove_all(options.dir);
    }
  }
  CHECK(metrics[0] == metrics[2]);  // dqn
  CHECK(metrics[1] == metrics[3]);  // sac
}

TEST_CASE("Run directories are named after the algorithm and env trained", "[agents][run]") {
  const std::string name = default_run_dir(recipe_of("ppo", {{"env", "LunarLander-v3"}, {"seed", "4"}}));
  CHECK(name.rfind("runs/ppo-LunarLander-v3-4-", 0) == 0);
  CHECK_THROWS_WITH(run_recipe("/tmp/rlarena_no_such_run", {}), Catch::Contains("give a run directory"));
}

TEST_CASE("A run logs TensorBoard events with CleanRL's tags, and a resume restarts them", "[agents][run][tensorboard]") {
  const std::string dir = rlarena::test::temp_path("tb");
  fs::remove_all(dir);
  std::map<std::string, std::string> values = {{"num_envs", "4"},       {"num_steps", "64"},
                                               {"total_steps", "2048"}, {"eval_every", "1024"},
                                               {"eval_episodes", "2"},  {"checkpoint_every", "1024"}};
  RunOptions options;
  options.dir = dir;
  options.catch_sigint = false;
  train(recipe_of("ppo", values), options);
  const RunDir run{dir};
  auto files = event_files(dir);
  REQUIRE(files.size() == 1);
  EventFile events = read_event_file(files[0]);
  CHECK(events.file_version == "brain.Event:2");
  std::map<std::string, std::vector<ScalarEvent>> by_tag;
  for (const auto& e : events.scalars) by_tag[e.tag].push_back(e);
  // One charts/episodic_return per row of episodes.csv, at the same step with the same value.
  const auto episodes = csv_rows(run.episodes());
  REQUIRE(by_tag["charts/episodic_return"].size() == episodes.size() - 1);
  for (size_t i = 1; i < episodes.size(); ++i) {
    CHECK(by_tag["charts/episodic_return"][i - 1].step == std::stoll(episodes[i][0]));
    CHECK(by_tag["charts/episodic_return"][i - 1].value == Approx(std::stod(episodes[i][2])));
    CHECK(by_tag["charts/episodic_length"][i - 1].value == std::stod(episodes[i][3]));
  }
  // The losses of every metrics.csv row, under losses/ and charts/ names.
  const auto metrics = csv_rows(run.metrics());
  const auto& header = metrics[0];
  const auto column = [&](const std::string& name) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  REQUIRE(by_tag["losses/policy_loss"].size() == metrics.size() - 1);
  REQUIRE(by_tag["charts/SPS"].size() == metrics.size() - 1);
  for (size_t i = 1; i < metrics.size(); ++i) {
    CHECK(by_tag["losses/policy_loss"][i - 1].step == std::stoll(metrics[i][0]));
    CHECK(by_tag["losses/policy_loss"][i - 1].value ==
          Approx(std::stod(metrics[i][column("policy_loss")])).epsilon(1e-6));
    CHECK(by_tag["losses/clipfrac"][i - 1].value == Approx(std::stod(metrics[i][column("clip_fraction")])).margin(1e-7));
    CHECK(by_tag["charts/learning_rate"][i - 1].value ==
          Approx(std::stod(metrics[i][column("learning_rate")])).epsilon(1e-6));
  }
  const auto evals = csv_rows(run.evals());
  REQUIRE(by_tag["eval/mean_return"].size() == evals.size() - 1);
  CHECK(by_tag["eval/mean_return"].back().value == Approx(std::stod(evals.back()[3])));
  // A resumed run writes a new file that starts with a restart at its checkpoint step.
  RunOptions again = options;
  again.resume = true;
  train(run_recipe(dir, {{"total_steps", {"3072"}}}), again);
  files = event_files(dir);
  REQUIRE(files.size() == 2);
  events = read_event_file(files[1]);
  CHECK(events.restarts == std::vector<int64_t>{2048});
  for (const auto& e : events.scalars) CHECK(e.step > 2048);
  // With tensorboard = false, no event file.
  fs::remove_all(dir);
  values["tensorboard"] = "false";
  train(recipe_of("ppo", values), options);
  CHECK(event_files(dir).empty());
  fs::remove_all(dir);
}

TEST_CASE("The progress line shows the training return, or an offline run's last evaluation", "[agents][run]") {
  CHECK(progress_detail(4000, 812.4, {10.0, 20.0}, 55.5, 125) == "step 4000, 812 SPS, return 15.0, ETA 2m05s");
  // An offline run has no training episodes: its last evaluation, and nothing before the first.
  CHECK(progress_detail(5000, 130, {}, 2338.25, 61) == "step 5000, 130 SPS, eval 2338.2, ETA 1m01s");
  CHECK(progress_detail(1000, 124, {}, std::nullopt, 393) == "step 1000, 124 SPS, ETA 6m33s");
}
