// DatasetCollector: a closed collection holds every step, episode by episode; a
// collector killed with SIGKILL at an arbitrary moment leaves a file that opens
// and holds every step it had flushed, equal to an uninterrupted run's.
#include <catch2/catch.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>

#include "common/error.h"
#include "common/h5_file.h"
#include "envs/core/vec_env.h"
#include "replay/collector.h"
#include "replay/d4rl.h"
#include "replay/vec_writer.h"
#include "temp_path.h"

using namespace rlarena;
using rlarena::test::temp_path;

namespace {

// Pendulum (200-step episodes, all truncated) with 4 envs, flushing every
// `flush_every` steps; `on_flush` gets the committed count after each flush and
// returns false to stop. Deterministic: the same steps in every run.
void run_collection(const std::string& path, int max_steps, int flush_every,
                    const std::function<bool(int64_t)>& on_flush,
                    DatasetCollector::Running running = DatasetCollector::Running::KeepTruncated) {
  const int64_t envs = 4;
  VecEnv venv("Pendulum-v1", envs, 3, 1);
  ReplayStore store(venv.observation_space(), venv.action_space(), (max_steps + 1) * envs);
  VecWriter writer(store, envs);
  DatasetCollector collector(path, venv.observation_space(), venv.action_space(), {{"env_id", "Pendulum-v1"}});
  writer.reset(venv.reset());
  std::vector<float> actions(envs);
  for (int t = 1; t <= max_steps; ++t) {
    for (int64_t e = 0; e < envs; ++e) actions[e] = static_cast<float>(2 * std::sin(0.1 * t + e));
    writer.add(venv.step(actions), actions.data());
    if (t % flush_every == 0) {
      collector.flush(store);
      if (!on_flush(collector.committed_steps())) return;
    }
  }
  collector.close(store, running);
}

}  // namespace

TEST_CASE("A closed collection holds every step, episode by episode", "[collector]") {
  const std::string path = temp_path("collect.hdf5");
  std::vector<int64_t> committed;
  run_collection(path, 450, 100, [&](int64_t c) {
    committed.push_back(c);
    return true;
  });
  // Episodes end at 200 and 400 steps: flushes commit whole episodes only.
  CHECK(committed == std::vector<int64_t>{0, 800, 800, 1600});
  const auto store = read_d4rl(path);
  CHECK(store->closed() == 450 * 4);
  const DatasetSummary s = summarize(*store);
  CHECK(s.episodes == 12);  // 8 finished, 4 still running at close
  // The running ones are cut short: their last step is a timeout, its next observation real.
  int64_t timeouts = 0;
  for (int64_t r = 0; r < store->size(); ++r) timeouts += store->truncated(r);
  CHECK(timeouts == 12);
  for (const auto& run : store->episodes()) CHECK(store->truncated(run.back()));
  CHECK_THROWS_WITH(DatasetCollector(path, store->observation_space(), store->action_space(), {}),
                    Catch::Contains("never overwrites"));
  std::remove(path.c_str());
}

TEST_CASE("A collection can drop the episodes still running at close", "[collector]") {
  const std::string path = temp_path("whole.hdf5");
  run_collection(path, 450, 100, [](int64_t) { return true; }, DatasetCollector::Running::Drop);
  const auto store = read_d4rl(path);
  CHECK(store->closed() == 400 * 4);  // two whole 200-step episodes per env; the 50-step tails are gone
  CHECK(summarize(*store).episodes == 8);
  std::remove(path.c_str());
}

TEST_CASE("kill -9 during a collection leaves every flushed step readable", "[collector][crash]") {
  const std::string reference = temp_path("reference.hdf5");
  const std::string crashed = temp_path("crashed.hdf5");
  run_collection(reference, 3000, 50, [](int64_t) { return true; });
  const auto full = read_d4rl(reference);

  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    close(fds[0]);
    try {
      run_collection(crashed, 1000000, 50, [&](int64_t c) {
        if (write(fds[1], &c, sizeof c) != sizeof c) _exit(3);
        return true;
      });
    } catch (...) {
      _exit(2);
    }
    _exit(0);
  }
  close(fds[1]);
  // Let it commit a few episodes, then kill it while it keeps writing.
  int64_t seen = 0, c = 0;
  while (seen < 2400 && read(fds[0], &c, sizeof c) == sizeof c) seen = c;
  usleep(3000);  // somewhere inside the next steps or flush
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  close(fds[0]);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(seen >= 2400);

  const auto store = read_d4rl(crashed);  // opens although the writer never closed it
  CHECK(store->closed() >= seen);
  // The same steps as the uninterrupted run, value for value.
  const auto a = store->rows_by_episode(), b = full->rows_by_episode();
  REQUIRE(a.size() <= b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    INFO("step " << i);
    REQUIRE(std::memcmp(store->obs(a[i]), full->obs(b[i]), store->obs_bytes()) == 0);
    REQUIRE(std::memcmp(store->next_obs(a[i]), full->next_obs(b[i]), store->obs_bytes()) == 0);
    REQUIRE(store->reward(a[i]) == full->reward(b[i]));
    REQUIRE(store->truncated(a[i]) == full->truncated(b[i]));
  }

  // Plain readers (h5py, D4RL's loader) open files as H5Fopen with default properties
  // does: such a file is refused, and `dataset recover` makes one they open.
  H5E_BEGIN_TRY {
    CHECK(H5Fopen(crashed.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT) < 0);
  }
  H5E_END_TRY;
  CHECK(h5::left_open_by_writer(crashed));
  const std::string bin = RLARENA_BIN;
  const std::string said = temp_path("said.txt");
  CHECK(std::system((bin + " dataset validate " + crashed + " 2>" + said).c_str()) != 0);
  std::ifstream validate_said(said);
  const std::string message((std::istreambuf_iterator<char>(validate_said)), std::istreambuf_iterator<char>());
  CHECK_THAT(message,
             Catch::Contains("left open by a writer") && Catch::Contains("rlarena dataset recover " + crashed));
  const std::string plain = temp_path("plain.hdf5");
  REQUIRE(std::system((bin + " dataset recover " + crashed + " --out " + plain + " >/dev/null").c_str()) == 0);
  const hid_t opened = H5Fopen(plain.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  CHECK(opened >= 0);
  if (opened >= 0) H5Fclose(opened);
  CHECK(read_d4rl(plain)->closed() == store->closed());
  CHECK(std::system((bin + " dataset validate " + plain + " >/dev/null").c_str()) == 0);
  // Without --out the file itself is replaced.
  REQUIRE(std::system((bin + " dataset recover " + crashed + " >/dev/null").c_str()) == 0);
  CHECK(!h5::left_open_by_writer(crashed));
  CHECK(read_d4rl(crashed)->closed() == store->closed());
  for (const auto& f : {reference, crashed, plain, said}) std::remove(f.c_str());
}
