#include "agents/distributed/launch.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "agents/distributed/world.h"
#include "common/error.h"

extern char** environ;

namespace rlarena {

namespace {

class Membership final : public JobMembership {
 public:
  explicit Membership(const WorldOptions& options) : world_(options) { set_current_world(&world_); }
  ~Membership() override { set_current_world(nullptr); }
  int rank() const override { return world_.rank(); }
  int size() const override { return world_.size(); }
  std::vector<std::string> gather_texts(const std::string& mine) override { return world_.gather_texts(mine); }
  std::string broadcast_text(const std::string& text) override { return world_.broadcast_text(text); }
  std::string timing_summary() const override {
    const World::Timing& t = world_.timing();
    if (t.all_reduces == 0) return "";
    char line[256];
    std::snprintf(line, sizeof line,
                  "all-reduce: %lld calls of %lld floats, %.3f ms each; updates %.3f ms each (all-reduce %.1f%% "
                  "of them)",
                  static_cast<long long>(t.all_reduces), static_cast<long long>(t.bucket_floats),
                  1e3 * t.all_reduce_s / t.all_reduces, t.updates ? 1e3 * t.update_s / t.updates : 0.0,
                  t.update_s > 0 ? 100 * t.all_reduce_s / t.update_s : 0.0);
    return line;
  }

 private:
  World world_;
};

}  // namespace

std::unique_ptr<JobMembership> join_job_from_env(double timeout_s) {
  std::optional<WorldOptions> options = world_from_env();
  if (!options) return nullptr;
  options->timeout = std::chrono::milliseconds(static_cast<int64_t>(timeout_s * 1000));
  return std::make_unique<Membership>(*options);
}

int run_local_ranks(const std::string& command, const std::vector<std::string>& args, int nproc, double grace_s) {
  if (std::getenv("WORLD_SIZE")) throw Error("--nproc: WORLD_SIZE is set already (torchrun starts the ranks); give one");
  const char* port_text = std::getenv("MASTER_PORT");
  const std::string port = port_text && *port_text ? port_text : std::to_string(free_local_port());
  std::vector<pid_t> pids;
  for (int r = 0; r < nproc; ++r) {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
      const std::string kv = *e;
      if (kv.rfind("MASTER_ADDR=", 0) != 0 && kv.rfind("MASTER_PORT=", 0) != 0) env.push_back(kv);
    }
    env.insert(env.end(), {"WORLD_SIZE=" + std::to_string(nproc), "RANK=" + std::to_string(r),
                           "LOCAL_RANK=" + std::to_string(r), "MASTER_ADDR=127.0.0.1", "MASTER_PORT=" + port});
    std::vector<std::string> words = {"/proc/self/exe", command};
    for (size_t i = 0; i < args.size(); ++i) {
      if (args[i] == "--nproc") ++i;  // the ranks run the command itself
      else if (args[i].rfind("--nproc=", 0) != 0) words.push_back(args[i]);
    }
    std::vector<char*> argv, envp;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (r > 0) posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int failed = posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (failed) {
      for (pid_t p : pids) kill(p, SIGTERM);
      throw Error("--nproc: cannot start rank " + std::to_string(r) + " (" + std::to_string(failed) + ")");
    }
    pids.push_back(pid);
  }
  // A failed rank is reported at once; the others then have grace_s to stop with their
  // own error before they are ended.
  std::vector<bool> running(nproc, true);
  int left = nproc, first_failure = 0;
  std::chrono::steady_clock::time_point deadline;
  while (left > 0) {
    int status = 0;
    const pid_t done = waitpid(-1, &status, first_failure ? WNOHANG : 0);
    if (done < 0) break;
    if (done == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        for (int r = 0; r < nproc; ++r)
          if (running[r]) kill(pids[r], SIGTERM);
        deadline = std::chrono::steady_clock::time_point::max();
      }
      usleep(100000);
      continue;
    }
    int rank = -1;
    for (int r = 0; r < nproc; ++r)
      if (pids[r] == done) rank = r, running[r] = false;
    --left;
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (code == 0 || first_failure != 0) continue;
    first_failure = code;
    if (WIFSIGNALED(status))
      std::fprintf(stderr, "rlarena: rank %d was ended by signal %d; the other ranks stop within %.0f s\n", rank,
                   WTERMSIG(status), grace_s);
    deadline = std::chrono::steady_clock::now() +
               std::chrono::milliseconds(static_cast<int64_t>(grace_s * 1000));
  }
  return first_failure;
}

}  // namespace rlarena
