#include "agents/distributed/world.h"

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

#include "agents/common/normalizers.h"
#include "common/error.h"

namespace rlarena {

namespace {

World* g_world = nullptr;

int env_int(const char* name, int low, int high, std::optional<int> fallback) {
  const char* text = std::getenv(name);
  if (!text || !*text) {
    if (fallback) return *fallback;
    throw Error(std::string(name) + " is not set; torchrun-style launches set WORLD_SIZE, RANK, MASTER_ADDR and "
                                    "MASTER_PORT (or give --nproc N)");
  }
  char* end = nullptr;
  const long v = std::strtol(text, &end, 10);
  if (*end != '\0' || v < low || v > high)
    throw Error(std::string(name) + "=" + text + " is not a whole number in [" + std::to_string(low) + ", " +
                std::to_string(high) + "]");
  return static_cast<int>(v);
}

// An exception's message on one line, without c10's backtrace.
std::string one_line(const std::exception& e) {
  const auto* c10_error = dynamic_cast<const c10::Error*>(&e);
  std::string text = c10_error ? c10_error->what_without_backtrace() : e.what();
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  if (text.size() > 300) text = text.substr(0, 300) + "...";
  return text;
}

}  // namespace

std::optional<WorldOptions> world_from_env() {
  if (!std::getenv("WORLD_SIZE")) return std::nullopt;
  WorldOptions o;
  o.size = env_int("WORLD_SIZE", 1, 4096, std::nullopt);
  o.rank = env_int("RANK", 0, o.size - 1, std::nullopt);
  o.local_rank = env_int("LOCAL_RANK", 0, o.size - 1, 0);
  const char* addr = std::getenv("MASTER_ADDR");
  o.master_addr = addr && *addr ? addr : "127.0.0.1";
  o.master_port = env_int("MASTER_PORT", 1, 65535, 29500);
  return o;
}

struct World::Impl {
  c10::intrusive_ptr<c10d::TCPStore> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
};

World::World(const WorldOptions& o) : options_(o), impl_(std::make_unique<Impl>()) {
  const std::string where = o.master_addr + ":" + std::to_string(o.master_port);
  try {
    c10d::TCPStoreOptions so;
    so.port = static_cast<std::uint16_t>(o.master_port);
    so.isServer = o.rank == 0;
    so.numWorkers = o.size;
    so.timeout = o.timeout;
    impl_->store = c10::make_intrusive<c10d::TCPStore>(o.master_addr, so);
  } catch (const std::exception& e) {
    throw Error(o.rank == 0 ? "rank 0 cannot serve the job's store at " + where +
                                  " (is the port in use? give another MASTER_PORT): " + one_line(e)
                            : "rank " + std::to_string(o.rank) + " cannot reach the job's store at " + where +
                                  " within " + std::to_string(o.timeout.count() / 1000) +
                                  " s (check MASTER_ADDR and MASTER_PORT, and that rank 0 runs): " + one_line(e));
  }
  try {
    auto options = c10d::ProcessGroupGloo::Options::create(o.timeout);
    // One Gloo thread: a rank's own compute thread and the collective's share the core
    // a rank usually has (Gloo's default 2 threads measured slower on 2-core VMs).
    options->threads = 1;
    // This machine's end: the interface GLOO_SOCKET_IFNAME names (as PyTorch reads it),
    // loopback for a job on one machine, else the address this machine's name resolves to.
    const char* interface = std::getenv("GLOO_SOCKET_IFNAME");
    const bool local = o.master_addr == "localhost" || o.master_addr.rfind("127.", 0) == 0;
    options->devices.push_back(interface && *interface ? c10d::ProcessGroupGloo::createDeviceForInterface(interface)
                               : local                 ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
                                                       : c10d::ProcessGroupGloo::createDefaultDevice());
    impl_->group = c10::make_intrusive<c10d::ProcessGroupGloo>(impl_->store, o.rank, o.size, options);
  } catch (const std::exception& e) {
    throw Error("rank " + std::to_string(o.rank) + " could not join the job at " + where +
                " (check MASTER_ADDR and MASTER_PORT: is it rank 0 of this job?): " + one_line(e));
  }
}

World::~World() = default;

void World::wait(const std::string& what, const std::function<void()>& op) {
  try {
    op();
  } catch (const std::exception& e) {
    throw Error("rank " + std::to_string(rank()) + ": " + what + " failed within the timeout of " +
                std::to_string(options_.timeout.count() / 1000) +
                " s: another rank died or hangs (the last checkpoint is kept; resume the run): " + one_line(e));
  }
}

void World::average_gradients(const std::vector<torch::Tensor>& params) {
  std::vector<torch::Tensor> grads;
  for (const auto& p : params)
    grads.push_back(p.grad().defined() ? p.grad().reshape(-1) : torch::zeros({p.numel()}, p.options()));
  std::vector<at::Tensor> bucket = {torch::cat(grads)};
  const auto start = std::chrono::steady_clock::now();
  wait("the gradient all-reduce", [&] { impl_->group->allreduce(bucket)->wait(); });
  timing_.all_reduce_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ++timing_.all_reduces;
  timing_.bucket_floats = bucket[0].numel();
  bucket[0].div_(size());
  int64_t at = 0;
  torch::NoGradGuard no_grad;
  for (const auto& p : params) {
    const torch::Tensor mean = bucket[0].narrow(0, at, p.numel()).view_as(p);
    if (p.grad().defined()) p.mutable_grad().copy_(mean);
    else p.mutable_grad() = mean.clone();
    at += p.numel();
  }
}

void World::all_reduce_sum(torch::Tensor& t) {
  std::vector<at::Tensor> one = {t};
  wait("an all-reduce", [&] { impl_->group->allreduce(one)->wait(); });
}

std::vector<std::string> World::gather_texts(const std::string& mine) {
  const std::string prefix = "rlarena/gather/" + std::to_string(exchanges_++) + "/";
  std::vector<std::string> all;
  wait("gathering results", [&] {
    impl_->store->set(prefix + std::to_string(rank()), std::vector<uint8_t>(mine.begin(), mine.end()));
    if (rank() != 0) return;
    for (int r = 0; r < size(); ++r) {
      const std::vector<uint8_t> bytes = impl_->store->get(prefix + std::to_string(r));  // waits for it
      all.emplace_back(bytes.begin(), bytes.end());
    }
  });
  return all;
}

std::string World::broadcast_text(const std::string& text) {
  const std::string key = "rlarena/broadcast/" + std::to_string(exchanges_++);
  std::string out = text;
  wait("a broadcast", [&] {
    if (rank() == 0) {
      impl_->store->set(key, std::vector<uint8_t>(text.begin(), text.end()));
      return;
    }
    const std::vector<uint8_t> bytes = impl_->store->get(key);
    out.assign(bytes.begin(), bytes.end());
  });
  return out;
}

void merge_statistics(World& world, RunningMeanStd& stats, std::vector<double>& synced) {
  const std::vector<double> now = stats.state();
  const size_t dim = stats.mean().size();
  if (synced.size() != now.size()) throw Error("merge_statistics: the agreed statistics do not fit these");
  // This rank's new data: count, per-feature sum and sum of squares (now minus agreed).
  const auto moments = [dim](const std::vector<double>& s, size_t j) {
    const double n = s[2 * dim], mean = s[j], var = s[dim + j];
    return std::pair<double, double>{n * mean, n * (var + mean * mean)};
  };
  torch::Tensor delta = torch::zeros({static_cast<int64_t>(1 + 2 * dim)}, torch::kFloat64);
  double* d = delta.data_ptr<double>();
  d[0] = now[2 * dim] - synced[2 * dim];
  for (size_t j = 0; j < dim; ++j) {
    const auto [sum_now, sq_now] = moments(now, j);
    const auto [sum_old, sq_old] = moments(synced, j);
    d[1 + j] = sum_now - sum_old;
    d[1 + dim + j] = sq_now - sq_old;
  }
  world.all_reduce_sum(delta);
  d = delta.data_ptr<double>();
  std::vector<double> merged(now.size());
  const double n = synced[2 * dim] + d[0];
  merged[2 * dim] = n;
  for (size_t j = 0; j < dim; ++j) {
    const auto [sum_old, sq_old] = moments(synced, j);
    const double mean = (sum_old + d[1 + j]) / n;
    merged[j] = mean;
    merged[dim + j] = std::max(0.0, (sq_old + d[1 + dim + j]) / n - mean * mean);
  }
  stats.set_state(merged);
  synced = merged;
}

World* current_world() { return g_world; }
void set_current_world(World* world) { g_world = world; }
int free_local_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw Error("cannot open a socket to find a free port; give MASTER_PORT");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  close(fd);
  if (!ok) throw Error("cannot find a free port on 127.0.0.1; give MASTER_PORT");
  return ntohs(addr.sin_port);
}

void average_gradients_over_ranks(torch::optim::Optimizer& optimizer) {
  if (!g_world) return;
  std::vector<torch::Tensor> params;
  for (const auto& group : optimizer.param_groups())
    params.insert(params.end(), group.params().begin(), group.params().end());
  g_world->average_gradients(params);
}

uint64_t rank_seed(uint64_t seed) { return seed + 1000003ULL * static_cast<uint64_t>(world_rank()); }

int world_rank() { return g_world ? g_world->rank() : 0; }
int world_size() { return g_world ? g_world->size() : 1; }

}  // namespace rlarena
