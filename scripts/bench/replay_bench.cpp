// Replay figures of issue [4/5], each against a baseline measured beside it in this
// process: the memory of a store of N HalfCheetah transitions against one copy of
// each column, uniform sampling throughput, and D4RL HDF5 write/read time against
// fwrite/fread of the same bytes. Run by scripts/bench/replay.sh; not a test.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "envs/core/vec_env.h"
#include "replay/d4rl.h"
#include "replay/samplers.h"
#include "replay/vec_writer.h"

using namespace rlarena;
using Clock = std::chrono::steady_clock;

namespace {
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
}  // namespace

int main(int argc, char** argv) {
  const int64_t steps = argc > 1 ? std::atoll(argv[1]) : 1000000;
  const std::string dir = argc > 2 ? argv[2] : "/tmp";
  const int64_t envs = 16;

  // 1. A store of `steps` real HalfCheetah-v5 transitions (random actions).
  VecEnv venv("HalfCheetah-v5", envs, 0, 2);
  ReplayStore store(venv.observation_space(), venv.action_space(), steps + envs);
  VecWriter writer(store, envs);
  writer.reset(venv.reset());
  Rng rng(0);
  std::vector<float> actions(envs * 6);
  auto t0 = Clock::now();
  for (int64_t done = 0; done < steps; done += envs) {
    for (auto& a : actions) a = static_cast<float>(rng.uniform(-1, 1));
    writer.add(venv.step(actions), actions.data());
  }
  std::printf("filled %lld HalfCheetah-v5 transitions in %.1f s (2 env threads)\n",
              static_cast<long long>(store.closed()), seconds_since(t0));
  const double one_copy = static_cast<double>(store.capacity()) * (17 * 4 + 6 * 4 + 4 + 1 + 1 + 8);
  std::printf("memory: %.1f MB held vs %.1f MB for one copy of each column (obs, action, reward, "
              "terminated, truncated, episode id) -> %.3fx (target <= 1.1)\n",
              store.memory_bytes() / 1e6, one_copy / 1e6, store.memory_bytes() / one_copy);

  // 2. Uniform sampling of batches of 256 into caller-owned buffers, 1 thread.
  UniformSampler sampler(1);
  SampleBatch batch;
  sampler.sample(store, 256, batch);
  int64_t sampled = 0;
  t0 = Clock::now();
  while (seconds_since(t0) < 2.0)
    for (int k = 0; k < 100; ++k) sampler.sample(store, 256, batch), sampled += 256;
  const double sps = sampled / seconds_since(t0);
  std::printf("uniform sampling, batch 256, 1 thread: %.2fM transitions/s (target >= 2M)\n", sps / 1e6);

  // 3. D4RL HDF5 (uncompressed) vs fwrite/fread of the same bytes, alternating 3 times.
  const std::string h5_path = dir + "/rlarena_bench_" + std::to_string(getpid()) + ".hdf5";
  const std::string raw_path = dir + "/rlarena_bench_" + std::to_string(getpid()) + ".bin";
  const auto rows = store.rows_by_episode();
  const int64_t n = static_cast<int64_t>(rows.size());
  const size_t ob = store.obs_bytes(), ab = store.action_bytes();
  std::vector<uint8_t> obs(n * ob), next(n * ob), act(n * ab), flags(2 * n);
  std::vector<float> rew(n);
  for (int64_t i = 0; i < n; ++i) {
    std::memcpy(obs.data() + i * ob, store.obs(rows[i]), ob);
    std::memcpy(next.data() + i * ob, store.next_obs(rows[i]), ob);
    std::memcpy(act.data() + i * ab, store.action(rows[i]), ab);
    rew[i] = store.reward(rows[i]);
    flags[i] = store.terminated(rows[i]), flags[n + i] = store.truncated(rows[i]);
  }
  const double bytes = obs.size() + next.size() + act.size() + rew.size() * 4 + flags.size();
  std::vector<double> write_ratio, read_ratio, h5_write, h5_read;
  unsigned sink = 0;  // keeps the baseline's reads alive
  for (int round = 0; round < 5; ++round) {
    t0 = Clock::now();
    FILE* f = std::fopen(raw_path.c_str(), "wb");
    for (const auto* v : {&obs, &next, &act, &flags}) std::fwrite(v->data(), 1, v->size(), f);
    std::fwrite(rew.data(), 4, rew.size(), f);
    std::fclose(f);
    const double raw_w = seconds_since(t0);
    t0 = Clock::now();
    write_d4rl(store, h5_path, {{"env_id", "HalfCheetah-v5"}});
    const double h5_w = seconds_since(t0);

    // Reading allocates where the data lands, as loading a dataset must.
    t0 = Clock::now();
    f = std::fopen(raw_path.c_str(), "rb");
    for (const size_t size : {obs.size(), next.size(), act.size(), flags.size(), rew.size() * 4}) {
      std::unique_ptr<uint8_t[]> dest(new uint8_t[size]);
      if (std::fread(dest.get(), 1, size, f) != size) return 1;
      sink += dest[size - 1];
    }
    std::fclose(f);
    const double raw_r = seconds_since(t0);
    // For reference: into memory already touched (a copy out of the page cache).
    t0 = Clock::now();
    f = std::fopen(raw_path.c_str(), "rb");
    for (auto* v : {&obs, &next, &act, &flags})
      if (std::fread(v->data(), 1, v->size(), f) != v->size()) return 1;
    std::fclose(f);
    const double warm_r = seconds_since(t0);
    t0 = Clock::now();
    const auto loaded = read_d4rl(h5_path);
    const double h5_r = seconds_since(t0);
    if (loaded->closed() != n) return 1;
    write_ratio.push_back(h5_w / raw_w), read_ratio.push_back(h5_r / raw_r);
    h5_write.push_back(h5_w), h5_read.push_back(h5_r);
    std::printf("round %d: fwrite %.3f s, write_d4rl %.3f s; fread %.3f s (into touched memory %.3f s), "
                "read_d4rl %.3f s (%.0f MB)\n",
                round, raw_w, h5_w, raw_r, warm_r, h5_r, bytes / 1e6);
  }
  std::printf("HDF5 write (store -> D4RL file, uncompressed) / fwrite of the same bytes: %.2fx (median of 5; target <= 2)\n",
              median(write_ratio));
  std::printf("HDF5 read (D4RL file -> new store) / fread of the same bytes into new memory: %.2fx (median of 5; "
              "target <= 2)\n",
              median(read_ratio));
  std::remove(h5_path.c_str());
  std::remove(raw_path.c_str());
  return sink == 0xFFFFFFFF;
}
