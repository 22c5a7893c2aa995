// Distributed training over LibTorch's c10d/Gloo: the ranks are fresh processes of this
// test binary (the hidden worker case below), joined on 127.0.0.1 with torchrun's
// variables, as `rlarena train` under torchrun would be.
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "agent_helpers.h"
#include "agents/distributed/launch.h"
#include "agents/distributed/world.h"
#include "agents/ppo/ppo.h"
#include "agents/run/run.h"
#include "arena/tournament.h"
#include "common/error.h"
#include "common/state_file.h"

extern char** environ;

using namespace rlarena;

namespace {

constexpr int64_t kShard = 48;  // rows per rank

std::string out_path(const std::string& stem, int rank) {
  return "/tmp/rlarena_dist_" + std::to_string(getpid()) + "_" + stem + "." + std::to_string(rank);
}

// Runs the worker case in `ranks` processes of this binary; returns their exit codes.
std::vector<int> run_ranks(int ranks, const std::string& mode, const std::string& stem,
                           const std::map<std::string, std::string>& extra = {}) {
  const int port = free_local_port();
  std::vector<pid_t> pids;
  for (int r = 0; r < ranks; ++r) {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) env.emplace_back(*e);
    env.push_back("WORLD_SIZE=" + std::to_string(ranks));
    env.push_back("RANK=" + std::to_string(r));
    env.push_back("MASTER_ADDR=127.0.0.1");
    env.push_back("MASTER_PORT=" + std::to_string(port));
    env.push_back("RLARENA_TEST_MODE=" + mode);
    env.push_back("RLARENA_TEST_OUT=" + out_path(stem, r));
    for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
    std::vector<char*> envp, argv;
    for (auto& s : env) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::string self = "/proc/self/exe", tag = "[.distributed_worker]";
    argv = {self.data(), tag.data(), nullptr};
    pid_t pid = 0;
    posix_spawn_file_actions_t quiet;  // the workers' Catch summaries stay out of the log
    posix_spawn_file_actions_init(&quiet);
    posix_spawn_file_actions_addopen(&quiet, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    const int spawned = posix_spawn(&pid, "/proc/self/exe", &quiet, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&quiet);
    REQUIRE(spawned == 0);
    pids.push_back(pid);
  }
  std::vector<int> codes;
  for (pid_t pid : pids) {
    int status = 0;
    waitpid(pid, &status, 0);
    codes.push_back(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  }
  return codes;
}

Recipe small_ppo() {
  return agent_test::recipe_of("ppo", {{"hidden", "16,16"}, {"norm_adv", "false"}, {"seed", "5"}});
}

// A fixed minibatch of 2 shards of CartPole-shaped rows, the same in every process.
Minibatch fixed_batch() {
  torch::manual_seed(77);
  const int64_t n = 2 * kShard;
  Minibatch m;
  m.obs = torch::randn({n, 4});
  m.actions = torch::randint(0, 2, {n}, torch::kInt64);
  m.log_probs = -torch::rand({n}) - 0.3;
  m.values = torch::randn({n});
  m.advantages = torch::randn({n});
  m.returns = torch::randn({n});
  return m;
}

std::vector<float> flat_gradients(PpoLearner& learner) {
  std::vector<float> out;
  for (const auto& p : learner.agent().parameters()) {
    const torch::Tensor g = p.grad().contiguous();
    out.insert(out.end(), g.data_ptr<float>(), g.data_ptr<float>() + g.numel());
  }
  return out;
}

std::vector<float> read_floats(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<float> v(bytes.size() / sizeof(float));
  std::memcpy(v.data(), bytes.data(), v.size() * sizeof(float));
  return v;
}

}  // namespace

// ppo-cartpole's recipe (recipes/ppo-cartpole.cfg) with `steps` env steps in all, 16
// envs per rank, and a constant step size (an annealed one depends on total_steps,
// which the resumed half changes).
Recipe cartpole(const std::string& steps) {
  return agent_test::recipe_of("ppo", {{"num_envs", "16"}, {"num_steps", "32"}, {"total_steps", steps},
                                       {"learning_rate", "0.001"}, {"anneal_lr", "false"}, {"checkpoint_every", "0"},
                                       {"eval_episodes", "10"}, {"tensorboard", "false"}});
}

// Random, greedy and MCTS on ConnectFour, 12 games a pair, into `out`.
TournamentConfig small_tournament(const std::string& out) {
  TournamentConfig c;
  c.env = "ConnectFour-v0";
  c.players = {parse_player("random"), parse_player("greedy"), parse_player("mcts:10")};
  c.games_per_pair = 12;
  c.seed = 4;
  c.out = out;
  c.progress = false;
  return c;
}

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A rank of the tests below (hidden: the tests start it with torchrun's variables).
TEST_CASE("distributed worker", "[.distributed_worker]") {
  const std::string mode = std::getenv("RLARENA_TEST_MODE"), out = std::getenv("RLARENA_TEST_OUT");
  if (mode == "tournament") {  // a rank of `rlarena tournament`
    const auto job = join_job_from_env(30);
    struct Link final : RankLink {
      JobMembership& job;
      explicit Link(JobMembership& j) : job(j) {}
      int rank() const override { return job.rank(); }
      int size() const override { return job.size(); }
      std::vector<std::string> gather_texts(const std::string& mine) override { return job.gather_texts(mine); }
      std::string broadcast_text(const std::string& text) override { return job.broadcast_text(text); }
    } link(*job);
    TournamentConfig config = small_tournament(std::getenv("RLARENA_TEST_DIR"));
    config.ranks = &link;
    run_tournament(config);
    return;
  }
  if (mode == "train") {  // a rank of `rlarena train`, as the command line runs one
    const auto job = join_job_from_env(30);
    RunOptions run;
    run.dir = std::getenv("RLARENA_TEST_DIR");
    run.catch_sigint = false;
    run.resume = std::getenv("RLARENA_TEST_RESUME") != nullptr;
    const std::string steps = std::getenv("RLARENA_TEST_STEPS");
    const char* algo = std::getenv("RLARENA_TEST_ALGO");
    if (algo) {  // a small off-policy or offline run on Pendulum
      std::map<std::string, std::string> values = {
          {"env", "Pendulum-v1"}, {"total_steps", steps}, {"batch_size", "32"}, {"hidden", "32,32"},
          {"log_every", "50"},    {"eval_episodes", "2"}, {"tensorboard", "false"}};
      if (const char* data = std::getenv("RLARENA_TEST_DATASET")) values["dataset"] = data;
      else values.insert({{"kwarg", "max_episode_steps=50"}, {"learning_starts", "100"}, {"buffer_size", "2000"}});
      train(agent_test::recipe_of(algo, values), run);
      return;
    }
    train(run.resume ? run_recipe(run.dir, {{"total_steps", {steps}}}) : cartpole(steps), run);
    return;
  }
  WorldOptions options = *world_from_env();
  options.timeout = std::chrono::seconds(5);
  World world(options);
  const Space obs = Space::box(-INFINITY, INFINITY, {4});
  PpoLearner learner(small_ppo(), obs, Space::discrete(2));
  const Minibatch shard = fixed_batch().rows(torch::arange(world.rank() * kShard, (world.rank() + 1) * kShard));
  if (mode == "die" && world.rank() == 1) _exit(0);  // leaves without a word
  Losses losses;
  learner.loss(shard, losses).backward();
  std::string message;
  try {
    world.average_gradients(learner.agent().parameters());
  } catch (const Error& e) {
    message = e.what();
  }
  std::ofstream file(out, std::ios::binary);
  if (mode == "die") {
    file << message;
    return;
  }
  const std::vector<float> g = flat_gradients(learner);
  file.write(reinterpret_cast<const char*>(g.data()), static_cast<std::streamsize>(g.size() * sizeof(float)));
}

TEST_CASE("The all-reduced gradient of two ranks equals the gradient of the concatenated batch",
          "[distributed]") {
  const std::vector<int> codes = run_ranks(2, "gradient", "grad");
  REQUIRE(codes == std::vector<int>{0, 0});
  PpoLearner learner(small_ppo(), Space::box(-INFINITY, INFINITY, {4}), Space::discrete(2));
  Losses losses;
  learner.loss(fixed_batch(), losses).backward();
  const std::vector<float> whole = flat_gradients(learner);
  for (int r = 0; r < 2; ++r) {
    const std::vector<float> averaged = read_floats(out_path("grad", r));
    std::remove(out_path("grad", r).c_str());
    REQUIRE(averaged.size() == whole.size());
    double worst = 0, scale = 0;
    for (size_t i = 0; i < whole.size(); ++i) {
      worst = std::max(worst, static_cast<double>(std::abs(averaged[i] - whole[i])));
      scale = std::max(scale, static_cast<double>(std::abs(whole[i])));
    }
    INFO("rank " << r << ": largest difference " << worst << " of gradients up to " << scale);
    CHECK(scale > 1e-3);
    CHECK(worst <= 1e-6 * std::max(1.0, scale));
  }
}

TEST_CASE("A rank that dies ends the others' collectives with an error, not a hang", "[distributed]") {
  const std::vector<int> codes = run_ranks(2, "die", "die");
  CHECK(codes == std::vector<int>{0, 0});
  std::ifstream in(out_path("die", 0));
  const std::string message((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(out_path("die", 0).c_str());
  CHECK_THAT(message, Catch::Contains("rank 0: the gradient all-reduce failed") &&
                          Catch::Contains("another rank died or hangs"));
}

TEST_CASE("torchrun's variables: a malformed one is named", "[distributed]") {
  setenv("WORLD_SIZE", "2", 1);
  setenv("RANK", "two", 1);
  CHECK_THROWS_WITH(world_from_env(), Catch::Contains("RANK=two is not a whole number in [0, 1]"));
  setenv("RANK", "1", 1);
  setenv("MASTER_PORT", "70000", 1);
  CHECK_THROWS_WITH(world_from_env(), Catch::Contains("MASTER_PORT=70000"));
  setenv("MASTER_PORT", "29555", 1);
  const auto o = world_from_env();
  REQUIRE(o);
  CHECK(o->rank == 1);
  CHECK(o->size == 2);
  CHECK(o->master_port == 29555);
  for (const char* k : {"WORLD_SIZE", "RANK", "MASTER_PORT"}) unsetenv(k);
  CHECK_FALSE(world_from_env());
}

namespace {

// metrics.csv without its wall-clock columns (wall_s, sps): what a run computed.
std::vector<std::string> metric_rows(const std::string& dir) {
  std::ifstream in(dir + "/metrics.csv");
  std::vector<std::string> rows;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    for (size_t at = 0; at <= line.size();) {
      const size_t comma = std::min(line.find(',', at), line.size());
      cells.push_back(line.substr(at, comma - at));
      at = comma + 1;
    }
    std::string kept;
    for (size_t k = 0; k < cells.size(); ++k)
      if (k != 1 && k + 1 != cells.size()) kept += cells[k] + ",";
    rows.push_back(kept);
  }
  return rows;
}

}  // namespace

TEST_CASE("A 2-rank PPO run resumes exactly, with 2 ranks only", "[distributed]") {
  // 4 updates of 2 ranks x 16 envs x 32 steps straight, against 2 and then 2 more.
  const std::string straight = out_path("straight", 0), halves = out_path("halves", 0);
  std::filesystem::remove_all(straight);
  std::filesystem::remove_all(halves);
  REQUIRE(run_ranks(2, "train", "t", {{"RLARENA_TEST_DIR", straight}, {"RLARENA_TEST_STEPS", "4096"}}) ==
          std::vector<int>{0, 0});
  CHECK(std::filesystem::exists(straight + "/checkpoints/rank1.h5"));
  // Every rank's envs and generators are in the checkpoints: half, then the rest, equals it all.
  REQUIRE(run_ranks(2, "train", "t", {{"RLARENA_TEST_DIR", halves}, {"RLARENA_TEST_STEPS", "2048"}}) ==
          std::vector<int>{0, 0});
  REQUIRE(run_ranks(2, "train", "t",
                    {{"RLARENA_TEST_DIR", halves}, {"RLARENA_TEST_STEPS", "4096"}, {"RLARENA_TEST_RESUME", "1"}}) ==
          std::vector<int>{0, 0});
  REQUIRE(metric_rows(straight).size() == 5);  // a header and 4 updates
  CHECK(metric_rows(halves) == metric_rows(straight));
  for (const char* file : {"/checkpoints/latest.h5", "/checkpoints/rank1.h5"}) {
    INFO(file);
    const StateMap a = load_state_file(straight + file), b = load_state_file(halves + file);
    CHECK(a.at("agent") == b.at("agent"));
    CHECK(a.at("policy/rng") == b.at("policy/rng"));
  }
  // Both ranks' policies are the same network.
  CHECK(load_state_file(straight + "/checkpoints/latest.h5").at("agent") ==
        load_state_file(straight + "/checkpoints/rank1.h5").at("agent"));
  // Another number of ranks is refused, before anything is written.
  RunOptions one;
  one.dir = halves;
  one.resume = true;
  one.catch_sigint = false;
  CHECK_THROWS_WITH(train(run_recipe(halves, {{"total_steps", {"6144"}}}), one),
                    Catch::Contains("was trained with 2 ranks; resume it with as many (--nproc 2), not 1"));
  std::filesystem::remove_all(straight);
  std::filesystem::remove_all(halves);
}

TEST_CASE("A 2-rank PPO run learns CartPole", "[distributed][long]") {
  const std::string dir = out_path("learns", 0);
  std::filesystem::remove_all(dir);
  REQUIRE(run_ranks(2, "train", "t", {{"RLARENA_TEST_DIR", dir}, {"RLARENA_TEST_STEPS", "163840"}}) ==
          std::vector<int>{0, 0});
  CHECK(nlohmann::json::parse(file_text(dir + "/eval.json"))["mean"].get<double>() >= 475);
  std::filesystem::remove_all(dir);
}

TEST_CASE("Off-policy and offline learners make the same update on every rank", "[distributed]") {
  // SAC collects into each rank's own store; IQL samples each rank's minibatches from one
  // dataset: either way, after 300 steps of updates the ranks' networks are still equal.
  for (const std::string algo : {"sac", "iql"}) {
    INFO(algo);
    const std::string dir = out_path("offpolicy_" + algo, 0);
    std::filesystem::remove_all(dir);
    std::map<std::string, std::string> env = {{"RLARENA_TEST_DIR", dir}, {"RLARENA_TEST_ALGO", algo},
                                              {"RLARENA_TEST_STEPS", "300"}};
    if (algo == "iql") env["RLARENA_TEST_DATASET"] = agent_test::pendulum_dataset();
    REQUIRE(run_ranks(2, "train", "o", env) == std::vector<int>{0, 0});
    const StateMap rank0 = load_state_file(dir + "/checkpoints/latest.h5");
    const StateMap rank1 = load_state_file(dir + "/checkpoints/rank1.h5");
    CHECK(rank0.at("actor") == rank1.at("actor"));
    CHECK(rank0.at("critic") == rank1.at("critic"));
    std::filesystem::remove_all(dir);
  }
}

TEST_CASE("A 2-rank tournament equals the 1-process one, also continuing a cut one", "[distributed]") {
  const std::string one = out_path("tour_one", 0), two = out_path("tour_two", 0), cut = out_path("tour_cut", 0);
  for (const auto& d : {one, two, cut}) std::filesystem::remove_all(d);
  run_tournament(small_tournament(one));
  REQUIRE(run_ranks(2, "tournament", "tour", {{"RLARENA_TEST_DIR", two}}) == std::vector<int>{0, 0});
  CHECK(file_text(two + "/ratings.csv") == file_text(one + "/ratings.csv"));
  CHECK(file_text(two + "/matrix.csv") == file_text(one + "/matrix.csv"));
  // Rank 0 appended the other rank's games after its own: the same rows, in another order.
  const auto sorted_lines = [](const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::sort(lines.begin(), lines.end());
    return lines;
  };
  CHECK(sorted_lines(file_text(two + "/games.csv")) == sorted_lines(file_text(one + "/games.csv")));
  // A tournament stopped after 10 games, continued by 2 ranks: nothing is played twice.
  std::filesystem::create_directories(cut);
  std::filesystem::copy_file(one + "/tournament.json", cut + "/tournament.json");
  {
    std::istringstream in(file_text(one + "/games.csv"));
    std::ofstream out(cut + "/games.csv");
    std::string line;
    for (int k = 0; k < 11 && std::getline(in, line); ++k) out << line << "\n";  // the header and 10 games
  }
  REQUIRE(run_ranks(2, "tournament", "tour", {{"RLARENA_TEST_DIR", cut}}) == std::vector<int>{0, 0});
  CHECK(file_text(cut + "/ratings.csv") == file_text(one + "/ratings.csv"));
  CHECK(sorted_lines(file_text(cut + "/games.csv")) == sorted_lines(file_text(one + "/games.csv")));
  for (const auto& d : {one, two, cut}) std::filesystem::remove_all(d);
}
