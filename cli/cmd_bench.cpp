// rlarena bench ENV: env steps per second of a VecEnv under random actions, sync
// (step all envs) or async (EnvPool's send/recv of batch_size envs).
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/options.h"
#include "cli/progress.h"
#include "envs/core/error.h"
#include "envs/core/vec_env.h"

namespace rlarena::cli {

namespace {
// Distinct random action batches cycled through, so drawing actions costs nothing
// inside the timed loop and every env still sees varied actions.
constexpr int kActionPool = 16;

std::string si(double v) {
  char buf[32];
  if (v >= 1e6) std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
  else if (v >= 1e3) std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
  else std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}
}  // namespace

int cmd_bench(const Args& args) {
  po::options_description options("bench options");
  options.add_options()
      ("env", po::value<std::string>()->required(), "env id, e.g. CartPole-v1")
      ("num-envs", po::value<int64_t>()->default_value(64), "envs in the VecEnv")
      ("threads", po::value<int>()->default_value(1), "threads stepping envs, counting the caller")
      ("seconds", po::value<double>()->default_value(3.0), "how long to measure")
      ("async", po::bool_switch(), "async mode: send/recv batches of --batch-size envs")
      ("batch-size", po::value<int64_t>()->default_value(0), "async batch size (default: num-envs)")
      ("seed", po::value<uint64_t>()->default_value(0), "seed of env 0 (env i gets seed + i)")
      ("json", po::bool_switch(), "print one JSON object on stdout");
  add_kwarg_option(options);
  po::positional_options_description positional;
  positional.add("env", 1);
  po::variables_map vm;
  if (!parse("bench", "ENV [options]", args, options, positional, vm)) return 0;

  const std::string id = vm["env"].as<std::string>();
  const int64_t num_envs = vm["num-envs"].as<int64_t>();
  const int threads = vm["threads"].as<int>();
  const double seconds = vm["seconds"].as<double>();
  const bool async = vm["async"].as<bool>();
  const int64_t batch_size = async ? vm["batch-size"].as<int64_t>() : 0;
  if (!(seconds > 0)) throw Error("--seconds " + std::to_string(seconds) + " must be > 0");

  VecEnv venv(id, num_envs, vm["seed"].as<uint64_t>(), threads, batch_size, kwargs_from(vm));
  const Space& act = venv.action_space();
  std::vector<std::vector<uint8_t>> pool(kActionPool, std::vector<uint8_t>(num_envs * act.byte_size()));
  Rng rng(vm["seed"].as<uint64_t>());
  for (auto& actions : pool)
    for (int64_t i = 0; i < num_envs; ++i) act.sample(rng, actions.data() + i * act.byte_size());

  using clock = std::chrono::steady_clock;
  Progress progress("bench " + id, seconds);
  int64_t steps = 0;
  auto start = clock::now();
  double elapsed = 0;
  if (!async) {
    venv.reset();
    start = clock::now();
    for (int64_t it = 0;; ++it) {
      venv.step(pool[it % kActionPool].data());
      steps += num_envs;
      if ((it & 15) == 15) {
        elapsed = std::chrono::duration<double>(clock::now() - start).count();
        progress.update(elapsed, si(steps / elapsed) + " steps/s");
        if (elapsed >= seconds) break;
      }
    }
  } else {
    const int64_t b = venv.batch_size();
    std::vector<uint8_t> actions(b * act.byte_size());
    std::vector<int64_t> ids(b);
    venv.async_reset();
    start = clock::now();
    for (int64_t it = 0;; ++it) {
      const Batch& batch = venv.recv();
      const auto& src = pool[it % kActionPool];
      for (int64_t k = 0; k < b; ++k) {
        ids[k] = batch.env_ids[k];
        std::memcpy(actions.data() + k * act.byte_size(), src.data() + ids[k] * act.byte_size(),
                    act.byte_size());
      }
      venv.send(actions.data(), ids.data(), b);
      if (it > 0) steps += b;  // the first batch holds resets, not steps
      if ((it & 15) == 15) {
        elapsed = std::chrono::duration<double>(clock::now() - start).count();
        progress.update(elapsed, si(steps / elapsed) + " steps/s");
        if (elapsed >= seconds) break;
      }
    }
  }
  progress.finish();
  const double sps = steps / elapsed;
  if (vm["json"].as<bool>()) {
    nlohmann::json j = {{"env", id},           {"steps_per_s", sps},      {"steps", steps},
                        {"seconds", elapsed},  {"num_envs", num_envs},    {"threads", threads},
                        {"mode", async ? "async" : "sync"}, {"batch_size", venv.batch_size()}};
    std::cout << j.dump() << "\n";
  } else {
    std::printf("%s %s num_envs=%lld threads=%d%s: %s env steps/s (%lld steps in %.2f s)\n",
                id.c_str(), async ? "async" : "sync", static_cast<long long>(num_envs), threads,
                async ? (" batch_size=" + std::to_string(venv.batch_size())).c_str() : "",
                si(sps).c_str(), static_cast<long long>(steps), elapsed);
  }
  return 0;
}

}  // namespace rlarena::cli
