// Training is pinned: four short seed-1 runs must write the metrics.csv and
// episodes.csv recorded in tests/pins/train/ (all but the wall-clock columns), so a
// refactoring that changes any number a learner computes shows here.
//
// The pins were taken with OpenBLAS's Haswell kernels and ATen's AVX2 kernels: a GEMM
// sums in another order on other kernels (e.g. AVX-512), and a run diverges from the
// first differing bit. Forcing both keeps the pins valid on any AVX2 machine.
#include <catch2/catch.hpp>
#include <filesystem>

#include "cli_helpers.h"

using namespace cli_test;

TEST_CASE("Seed-1 training runs give the pinned metrics and episodes", "[cli][train][pins][long]") {
  const std::string recipes = std::string(RLARENA_SOURCE_DIR) + "/recipes/";
  const std::string pins = std::string(RLARENA_SOURCE_DIR) + "/tests/pins/train/";
  const std::vector<std::pair<std::string, std::string>> runs = {
      {"ppo", recipes + "ppo-cartpole.cfg --total_steps 50000"},
      {"dqn", recipes + "dqn-cartpole.cfg --total_steps 30000"},
      {"sac", recipes + "sac-pendulum.cfg --total_steps 3000"},
      {"td3", "--algo td3 --env Pendulum-v1 --learning_starts 1000 --total_steps 3000"},
  };
  for (const auto& [name, args] : runs) {
    INFO(name << ": rlarena train " << args);
    const std::string dir = temp_path("pin_" + name);
    const Run r = run_shell("OPENBLAS_CORETYPE=Haswell ATEN_CPU_CAPABILITY=avx2 " + std::string(RLARENA_BIN) +
                            " train " + args + " --eval_episodes 0 --run-dir " + dir);
    REQUIRE(r.code == 0);
    for (const std::string file : {"metrics.csv", "episodes.csv"}) {
      INFO(file);
      const auto got = csv_without(dir + "/" + file, {"wall_s", "sps"});
      const auto want = csv_without(pins + name + "/" + file, {"wall_s", "sps"});
      REQUIRE(got.size() == want.size());
      for (size_t i = 0; i < got.size(); ++i) {
        INFO("line " << i + 1);
        REQUIRE(got[i] == want[i]);
      }
    }
    std::filesystem::remove_all(dir);
  }
}
