// What a new user ran into, each a test: texts and paths with quotes reach ffmpeg and
// gnuplot as plain text (no shell); damaged files give one line naming the file and
// the line; a resumed run refuses keys it cannot change and says when it is finished;
// numbers and paths are checked where they are parsed.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "cli_helpers.h"

using namespace cli_test;
namespace fs = std::filesystem;

namespace {

// A short trained run, shared by the tests of this file (made once).
const std::string& trained_run() {
  static const std::string dir = [] {
    const std::string d = temp_path("reliable_run");
    fs::remove_all(d);
    const Run r = run_rlarena("train " + std::string(RLARENA_SOURCE_DIR) +
                          "/recipes/ppo-cartpole.cfg --total_steps 4096 --eval_episodes 2 --run-dir " + d);
    REQUIRE(r.code == 0);
    return d;
  }();
  return dir;
}

// A copy of the trained run to damage.
std::string copy_of_run(const std::string& name) {
  const std::string dir = temp_path(name);
  fs::remove_all(dir);
  fs::copy(trained_run(), dir, fs::copy_options::recursive);
  return dir;
}

}  // namespace

TEST_CASE("Quotes, semicolons, $() and backticks in titles and paths are plain text", "[cli][reliability]") {
  const std::string marker = temp_path("injected");
  const std::string folder = temp_path("odd dir");
  fs::create_directories(folder);
  const std::string title = "x'; system 'touch " + marker + "'; set title 'y $(touch " + marker + ") `touch " +
                            marker + "` Bob's run ü";
  const std::string png = folder + "/it's $(x) `y`;.png";
  const Run p = run_rlarena("plot " + trained_run() + " --title " + shell_quote(title) + " --out " + shell_quote(png));
  CHECK(p.code == 0);
  CHECK(p.err.empty());
  CHECK(!fs::exists(marker));
  CHECK(slurp(png).rfind("\x89PNG", 0) == 0);
  const std::string local_marker = "rlarena_injected_" + std::to_string(getpid());  // a name, in the current dir
  const std::string gif = folder + "/it's $(touch " + local_marker + ") `touch " + local_marker + "`;.gif";
  const Run r = run_rlarena("render CartPole-v1 --max-steps 5 --out " + shell_quote(gif));
  CHECK(r.code == 0);
  CHECK(fs::file_size(gif) > 100);
  CHECK(!fs::exists(local_marker));
  fs::remove_all(folder);
}

TEST_CASE("Damaged files rlarena reads give one line naming the file and the line", "[cli][reliability]") {
  const std::string run = copy_of_run("damaged");
  std::string episodes = slurp(run + "/episodes.csv");
  const size_t third = episodes.find('\n', episodes.find('\n') + 1) + 1;
  episodes.replace(third, episodes.find('\n', third) - third, "64,0.1,abc,12");
  std::ofstream(run + "/episodes.csv") << episodes;
  const Run plot = run_rlarena("plot " + run + " --out " + temp_path("d.png"));
  CHECK(plot.code == 2);
  CHECK(lines(plot.err) == 1);
  CHECK_THAT(plot.err, Catch::Contains("episodes.csv line 3") && Catch::Contains("'abc' is not a number"));

  std::ofstream(run + "/metrics.csv", std::ios::app) << "12x4,garbage\n";
  const Run metrics = run_rlarena("train --resume " + run + " --total_steps 8192");
  CHECK(metrics.code == 2);
  CHECK_THAT(metrics.err, Catch::Contains("metrics.csv line ") && Catch::Contains("does not start with a step"));

  std::ofstream(run + "/config.cfg") << "algo = ppo\n\x01\x02 not a key value line\n";
  const Run config = run_rlarena("train --resume " + run);
  CHECK(config.code == 2);
  CHECK(lines(config.err) == 1);
  CHECK_THAT(config.err, Catch::Contains("config.cfg"));

  const std::string checkpoint = slurp(run + "/checkpoints/latest.h5");
  std::ofstream(run + "/checkpoints/latest.h5", std::ios::binary) << checkpoint.substr(0, checkpoint.size() / 2);
  const Run eval = run_rlarena("eval " + run);
  CHECK(eval.code == 2);
  CHECK_THAT(eval.err, Catch::Contains("latest.h5: a truncated checkpoint"));
  fs::remove_all(run);
}

TEST_CASE("A resumed run keeps its recipe and says when it is finished", "[cli][reliability]") {
  const std::string run = copy_of_run("resumed");
  const std::string config = slurp(run + "/config.cfg");
  const Run algo = run_rlarena("train --resume " + run + " --algo dqn");
  CHECK(algo.code == 2);
  CHECK_THAT(algo.err, Catch::Contains("--algo: a resumed run keeps its recipe") && Catch::Contains("total_steps"));
  const Run lr = run_rlarena("train --resume " + run + " --learning_rate 0.1");
  CHECK(lr.code == 2);
  CHECK_THAT(lr.err, Catch::Contains("--learning_rate"));
  CHECK(slurp(run + "/config.cfg") == config);
  const Run finished = run_rlarena("train --resume " + run);
  CHECK(finished.code == 2);
  CHECK_THAT(finished.err, Catch::Contains("finished at step 4096") && Catch::Contains("--total_steps"));
  const Run more = run_rlarena("train --resume " + run + " --total_steps 6144 --eval_every 1024");
  CHECK(more.code == 0);
  CHECK_THAT(slurp(run + "/config.cfg"), Catch::Contains("total_steps = 6144"));
  fs::remove_all(run);
}

TEST_CASE("Numbers and paths are checked where they are parsed", "[cli][reliability]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"eval " + trained_run() + " --seed -1", "'-1' for option '--seed' is not a seed"},
      {"eval " + trained_run() + " --episodes 0", "'0' for option '--episodes' is not a whole number >= 1"},
      {"eval " + trained_run() + " --num-envs 1e3", "--num-envs"},
      {"render CartPole-v1 --seed 18446744073709551616 --out " + temp_path("x.png"), "--seed"},
      {"render CartPole-v1 --max-steps -3 --out " + temp_path("x.mp4"), "--max-steps"},
      {"rollout CartPole-v1 --steps 0 --out -", "--steps"},
      {"rollout CartPole-v1 --out /nonexistent/dir/x.csv", "folder that does not exist (/nonexistent/dir)"},
      {"rollout CartPole-v1 --actions /nonexistent/a.txt --out -", "not an existing file"},
      {"bench CartPole-v1 --seconds nan", "--seconds"},
      {"dataset collect CartPole-v1 --steps 10 --num-envs -2 --out " + temp_path("c.hdf5"), "--num-envs"},
      {"dataset collect CartPole-v1 --steps 10 --out /tmp", "a directory, not a file"},
      {"plot " + trained_run() + " --out /nonexistent/c.png", "folder that does not exist"},
  };
  for (const auto& [args, expected] : cases) {
    INFO(args);
    const Run r = run_rlarena(args);
    CHECK(r.code == 2);
    CHECK(lines(r.err) == 1);
    CHECK_THAT(r.err, Catch::Contains(expected));
  }
}
