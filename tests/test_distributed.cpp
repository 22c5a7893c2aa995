// Distributed training over LibTorch's c10d/Gloo: the ranks are fresh processes of this
// test binary (the hidden worker case below), joined on 127.0.0.1 with torchrun's
// variables, as `rlarena train` under torchrun would be.
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>

#include "agent_helpers.h"
#include "agents/distributed/world.h"
#include "agents/ppo/ppo.h"
#include "common/error.h"

extern char** environ;

using namespace rlarena;

namespace {

constexpr int64_t kShard = 48;  // rows per rank

// A port nothing listens on now (the kernel's pick for an ephemeral bind).
int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

std::string out_path(const std::string& stem, int rank) {
  return "/tmp/rlarena_dist_" + std::to_string(getpid()) + "_" + stem + "." + std::to_string(rank);
}

// Runs the worker case in `ranks` processes of this binary; returns their exit codes.
std::vector<int> run_ranks(int ranks, const std::string& mode, const std::string& stem) {
  const int port = free_port();
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

// A rank of the tests below (hidden: the tests start it with torchrun's variables).
TEST_CASE("distributed worker", "[.distributed_worker]") {
  const std::string mode = std::getenv("RLARENA_TEST_MODE"), out = std::getenv("RLARENA_TEST_OUT");
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
