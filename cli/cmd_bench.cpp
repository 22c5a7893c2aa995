// rlarena bench ENV: env steps per second of a VecEnv under random actions, sync
// (step all envs) or async (EnvPool's send/recv of batch_size envs).
// --threads 1,2 measures each thread count and --raw-physics the bare engine (e.g.
// mj_step) on the same model; every measurement runs in short alternating rounds in
// this one process, so their ratios hold on a shared, noisy machine.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/options.h"
#include "common/progress.h"
#include "common/error.h"
#include "envs/core/vec_env.h"
#include "envs/multi/multi_registry.h"
#include "envs/multi/multi_vec_env.h"

namespace rlarena::cli {

namespace {
// Distinct random action batches cycled through, so drawing actions costs nothing
// inside the timed loop and every env still sees varied actions.
constexpr int kActionPool = 16;
// Length of one round when several measurements alternate.
constexpr double kRoundSeconds = 0.5;

using Clock = std::chrono::steady_clock;

std::string si(double v) {
  char buf[32];
  if (v >= 1e6) std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
  else if (v >= 1e3) std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
  else std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}


// One thing being timed; run() continues where the last round stopped.
class Measure {
 public:
  virtual ~Measure() = default;
  virtual void run(double seconds) = 0;
  double rate() const { return elapsed_ > 0 ? static_cast<double>(steps_) / elapsed_ : 0; }
  int64_t steps() const { return steps_; }
  double elapsed() const { return elapsed_; }

 protected:
  int64_t steps_ = 0;
  double elapsed_ = 0;
};

// A VecEnv stepped with random actions; it also tracks the mean episode length.
class EnvMeasure final : public Measure {
 public:
  EnvMeasure(const std::string& id, int64_t num_envs, uint64_t seed, int threads, bool async,
             int64_t batch_size, const Kwargs& kwargs, const std::vector<std::vector<uint8_t>>& pool)
      : venv_(id, num_envs, seed, threads, async ? batch_size : 0, kwargs), async_(async), pool_(pool) {}

  VecEnv& venv() { return venv_; }
  int threads() const { return venv_.num_threads(); }
  int64_t mean_episode_length() const {
    return episodes_ > 0 ? episode_steps_ / episodes_ : venv_.spec().max_episode_steps;
  }

  void run(double seconds) override {
    if (!started_) start();
    const auto begin = Clock::now();
    double spent = 0;
    while (spent < seconds) {
      for (int k = 0; k < 4; ++k) async_ ? step_async() : step_sync();
      spent = std::chrono::duration<double>(Clock::now() - begin).count();
    }
    elapsed_ += spent;
  }

 private:
  void start() {
    started_ = true;
    if (!async_) {
      venv_.reset();
      return;
    }
    const int64_t b = venv_.batch_size();
    actions_.resize(b * venv_.action_space().byte_size());
    ids_.resize(b);
    venv_.async_reset();
    exchange(venv_.recv());  // resets, not steps
  }
  void count(const Batch& b) {
    for (int64_t r = 0; r < b.size; ++r)
      if (b.done(r)) ++episodes_, episode_steps_ += b.episode_length[r];
    steps_ += b.size;
  }
  void step_sync() { count(venv_.step(pool_[it_++ % kActionPool].data())); }
  void step_async() {
    const Batch& b = venv_.recv();
    count(b);
    exchange(b);
  }
  // Sends the envs of `b` their next actions.
  void exchange(const Batch& b) {
    const size_t bytes = venv_.action_space().byte_size();
    const auto& src = pool_[it_++ % kActionPool];
    for (int64_t k = 0; k < b.size; ++k) {
      ids_[k] = b.env_ids[k];
      std::memcpy(actions_.data() + k * bytes, src.data() + ids_[k] * bytes, bytes);
    }
    venv_.send(actions_.data(), ids_.data(), b.size);
  }

  VecEnv venv_;
  bool async_;
  const std::vector<std::vector<uint8_t>>& pool_;
  bool started_ = false;
  int64_t it_ = 0, episodes_ = 0, episode_steps_ = 0;
  std::vector<uint8_t> actions_;
  std::vector<int64_t> ids_;
};

// The engine alone, 1 thread, laid out as the VecEnv: one engine state per env (same
// model), visited in turn for steps_per_env_step engine steps with new random
// controls (as an env action), each reset after the env's mean episode length, so
// both loops see the same memory footprint and state mix.
class RawMeasure final : public Measure {
 public:
  RawMeasure(std::vector<std::unique_ptr<RawPhysics>> raws, const EnvMeasure& env)
      : raws_(std::move(raws)), env_(env), age_(raws_.size()) {}
  const RawPhysics& engine() const { return *raws_.front(); }
  int64_t reset_every() const { return length_ * engine().steps_per_env_step(); }

  void run(double seconds) override {
    if (length_ == 0) {  // the env's first round has measured its episodes
      length_ = std::max<int64_t>(1, env_.mean_episode_length());
      for (size_t i = 0; i < raws_.size(); ++i) {
        raws_[i]->reset();
        age_[i] = static_cast<int64_t>(i) % length_;  // staggered, as envs' episodes are
      }
    }
    const int per_step = engine().steps_per_env_step();
    const auto begin = Clock::now();
    double spent = 0;
    while (spent < seconds) {
      for (size_t i = 0; i < raws_.size(); ++i) {
        for (int k = 0; k < per_step; ++k) raws_[i]->step(k == 0);
        if (++age_[i] == length_) raws_[i]->reset(), age_[i] = 0;
      }
      steps_ += static_cast<int64_t>(raws_.size()) * per_step;
      spent = std::chrono::duration<double>(Clock::now() - begin).count();
    }
    elapsed_ += spent;
  }

 private:
  std::vector<std::unique_ptr<RawPhysics>> raws_;
  const EnvMeasure& env_;
  std::vector<int64_t> age_;
  int64_t length_ = 0;
};

// A multi-agent VecEnv stepped with random actions (legal ones in turn-based games,
// drawn inside the timed loop); counts env steps, not agent rows.
class MultiEnvMeasure final : public Measure {
 public:
  MultiEnvMeasure(const std::string& id, int64_t num_envs, uint64_t seed, int threads, const Kwargs& kwargs)
      : venv_(id, num_envs, seed, threads, kwargs), rng_(seed), threads_(threads) {
    const Space& act = venv_.action_space();
    pool_.assign(kActionPool, std::vector<uint8_t>(venv_.rows() * act.byte_size()));
    for (auto& actions : pool_)
      for (int64_t r = 0; r < venv_.rows(); ++r) act.sample(rng_, actions.data() + r * act.byte_size());
    turn_based_ = venv_.env(0).turn_based();
  }
  MultiAgentVecEnv& venv() { return venv_; }
  int threads() const { return threads_; }

  void run(double seconds) override {
    if (!started_) venv_.reset(), started_ = true;
    const auto begin = Clock::now();
    double spent = 0;
    std::vector<int64_t> legal(venv_.rows());
    while (spent < seconds) {
      for (int k = 0; k < 4; ++k) {
        const std::vector<uint8_t>& actions = pool_[it_++ % kActionPool];
        if (turn_based_) {
          const int64_t n = venv_.action_space().n();
          for (int64_t r = 0; r < venv_.rows(); ++r) {
            int64_t pick = 0, seen = 0;
            for (int64_t a = 0; a < n; ++a)
              if (venv_.action_masks()[r * n + a] && rng_.below(++seen) == 0) pick = a;
            legal[r] = pick;
          }
          venv_.step(legal.data());
        } else {
          venv_.step(actions.data());
        }
        steps_ += venv_.num_envs();
      }
      spent = std::chrono::duration<double>(Clock::now() - begin).count();
    }
    elapsed_ += spent;
  }

 private:
  MultiAgentVecEnv venv_;
  Rng rng_;
  int threads_;
  bool turn_based_ = false, started_ = false;
  int64_t it_ = 0;
  std::vector<std::vector<uint8_t>> pool_;
};

// bench for a multi-agent id: each thread count in alternating rounds.
int bench_multi(const std::string& id, int64_t num_envs, const std::vector<int64_t>& thread_counts, double seconds,
                uint64_t seed, const Kwargs& kwargs, bool json) {
  std::vector<std::unique_ptr<MultiEnvMeasure>> all;
  for (int64_t t : thread_counts)
    all.push_back(std::make_unique<MultiEnvMeasure>(id, num_envs, seed, static_cast<int>(t), kwargs));
  const double round = all.size() == 1 ? seconds : std::min(kRoundSeconds, seconds);
  Progress progress("bench " + id, seconds * all.size());
  for (bool more = true; more;) {
    more = false;
    double done = 0;
    for (auto& m : all) {
      if (m->elapsed() < seconds) m->run(std::min(round, seconds - m->elapsed())), more = true;
      done += std::min(m->elapsed(), seconds);
    }
    progress.update(done, si(all.front()->rate()) + " env steps/s");
  }
  progress.finish();
  const MultiEnvMeasure& first = *all.front();
  const int agents = all.front()->venv().num_agents();
  if (json) {
    nlohmann::json j = {{"env", id}, {"steps_per_s", first.rate()}, {"agent_steps_per_s", first.rate() * agents},
                        {"steps", first.steps()}, {"seconds", first.elapsed()}, {"num_envs", num_envs},
                        {"agents", agents}, {"threads", first.threads()}, {"mode", "sync"}};
    for (size_t k = 1; k < all.size(); ++k)
      j["scaling"].push_back({{"threads", all[k]->threads()}, {"steps_per_s", all[k]->rate()},
                              {"ratio", all[k]->rate() / first.rate()}});
    std::cout << j.dump() << "\n";
    return 0;
  }
  for (const auto& m : all)
    std::printf("%s: %s env steps/s (%s agent steps/s), %lld envs x %d agents, %d thread%s%s\n", id.c_str(),
                si(m->rate()).c_str(), si(m->rate() * agents).c_str(), static_cast<long long>(num_envs), agents,
                m->threads(), m->threads() == 1 ? "" : "s",
                m.get() == &first ? "" : (" (" + std::to_string(m->rate() / first.rate()).substr(0, 4) + "x)").c_str());
  return 0;
}

}  // namespace

int cmd_bench(const Args& args) {
  po::options_description options("bench options");
  options.add_options()
      ("env", po::value<std::string>()->required(), "env id, e.g. CartPole-v1")
      ("num-envs", po::value<Count>()->default_value({64}), "envs in the VecEnv")
      ("threads", po::value<std::string>()->default_value("1"),
       "threads stepping envs, counting the caller; a list (1,2) measures each in "
       "alternating rounds and prints the ratios to the first")
      ("seconds", po::value<Seconds>()->default_value({3.0}), "how long to measure (each measurement)")
      ("async", po::bool_switch(), "async mode: send/recv batches of --batch-size envs")
      ("batch-size", po::value<Limit>()->default_value({0}), "async batch size (default: num-envs)")
      ("seed", po::value<Seed>()->default_value({0}), "seed of env 0 (env i gets seed + i)")
      ("raw-physics", po::bool_switch(),
       "also time the bare physics engine (mj_step) on the same model, one state per env, "
       "1 thread, in alternating rounds, and print env_steps_per_s * frame_skip / raw_steps_per_s")
      ("json", po::bool_switch(), "print one JSON object on stdout");
  add_kwarg_option(options);
  po::positional_options_description positional;
  positional.add("env", 1);
  po::variables_map vm;
  if (!parse("bench", "ENV [options]", args, options, positional, vm)) return 0;

  const std::string id = vm["env"].as<std::string>();
  const int64_t num_envs = vm["num-envs"].as<Count>().value;
  const std::string threads_text = vm["threads"].as<std::string>();
  const std::vector<int64_t> thread_counts =
      parse_positive_list(threads_text, "--threads " + threads_text, "--threads 2 or --threads 1,2");
  const double seconds = vm["seconds"].as<Seconds>().value;
  const bool async = vm["async"].as<bool>();
  const uint64_t seed = vm["seed"].as<Seed>().value;
  if (MultiRegistry::global().has(id)) {
    if (async || vm["raw-physics"].as<bool>())
      throw Error(id + " is a multi-agent env: bench it in sync mode, without --async or --raw-physics");
    return bench_multi(id, num_envs, thread_counts, seconds, seed, kwargs_from(vm), vm["json"].as<bool>());
  }

  std::vector<std::unique_ptr<EnvMeasure>> envs;
  std::vector<std::vector<uint8_t>> pool;
  for (int64_t threads : thread_counts) {
    envs.push_back(std::make_unique<EnvMeasure>(id, num_envs, seed, static_cast<int>(threads), async,
                                                vm["batch-size"].as<Limit>().value, kwargs_from(vm), pool));
    if (pool.empty()) {
      const Space& act = envs.front()->venv().action_space();
      pool.assign(kActionPool, std::vector<uint8_t>(num_envs * act.byte_size()));
      Rng rng(seed);
      for (auto& actions : pool)
        for (int64_t i = 0; i < num_envs; ++i) act.sample(rng, actions.data() + i * act.byte_size());
    }
  }
  std::unique_ptr<RawMeasure> raw;
  if (vm["raw-physics"].as<bool>()) {
    std::vector<std::unique_ptr<RawPhysics>> engines;
    for (int64_t i = 0; i < num_envs; ++i) engines.push_back(envs.front()->venv().env(i).raw_physics());
    if (!engines.front())
      throw Error(id + " has no physics engine to compare with; use --raw-physics with MuJoCo envs");
    raw = std::make_unique<RawMeasure>(std::move(engines), *envs.front());
  }

  std::vector<Measure*> all;
  for (auto& e : envs) all.push_back(e.get());
  if (raw) all.push_back(raw.get());
  const double round = all.size() == 1 ? seconds : std::min(kRoundSeconds, seconds);
  Progress progress("bench " + id, seconds * all.size());
  for (;;) {
    bool more = false;
    double done = 0;
    for (Measure* m : all) {
      if (m->elapsed() < seconds) m->run(std::min(round, seconds - m->elapsed())), more = true;
      done += std::min(m->elapsed(), seconds);
    }
    progress.update(done, si(envs.front()->rate()) + " steps/s");
    if (!more) break;
  }
  progress.finish();

  const EnvMeasure& first = *envs.front();
  const double raw_ratio = raw ? first.rate() * raw->engine().steps_per_env_step() / raw->rate() : 0;
  const std::string mode = async ? "async" : "sync";
  if (vm["json"].as<bool>()) {
    nlohmann::json j = {{"env", id},
                        {"steps_per_s", first.rate()},
                        {"steps", first.steps()},
                        {"seconds", first.elapsed()},
                        {"num_envs", num_envs},
                        {"threads", first.threads()},
                        {"mode", mode},
                        {"batch_size", envs.front()->venv().batch_size()}};
    for (size_t k = 1; k < envs.size(); ++k)
      j["scaling"].push_back({{"threads", envs[k]->threads()},
                              {"steps_per_s", envs[k]->rate()},
                              {"ratio", envs[k]->rate() / first.rate()}});
    if (raw) {
      j["raw_engine"] = raw->engine().engine();
      j["raw_steps_per_s"] = raw->rate();
      j["raw_reset_every"] = raw->reset_every();
      j["frame_skip"] = raw->engine().steps_per_env_step();
      j["raw_ratio"] = raw_ratio;
    }
    std::cout << j.dump() << "\n";
    return 0;
  }
  const std::string batch =
      async ? " batch_size=" + std::to_string(envs.front()->venv().batch_size()) : std::string();
  for (const auto& e : envs)
    std::printf("%s %s num_envs=%lld threads=%d%s: %s env steps/s (%lld steps in %.2f s)\n", id.c_str(),
                mode.c_str(), static_cast<long long>(num_envs), e->threads(), batch.c_str(),
                si(e->rate()).c_str(), static_cast<long long>(e->steps()), e->elapsed());
  for (size_t k = 1; k < envs.size(); ++k)
    std::printf("%s %s threads %d / threads %d = %.3f\n", id.c_str(), mode.c_str(), envs[k]->threads(),
                first.threads(), envs[k]->rate() / first.rate());
  if (raw)
    std::printf("%s raw %s on %lld states, 1 thread: %s steps/s (reset every %lld); "
                "env_steps_per_s(threads=%d) * frame_skip(%d) / raw = %.3f\n",
                id.c_str(), raw->engine().engine().c_str(), static_cast<long long>(num_envs),
                si(raw->rate()).c_str(), static_cast<long long>(raw->reset_every()), first.threads(),
                raw->engine().steps_per_env_step(), raw_ratio);
  return 0;
}

}  // namespace rlarena::cli
