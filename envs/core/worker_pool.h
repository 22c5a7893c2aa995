// WorkerPool: a fixed set of threads that split one loop over [0, count) into
// contiguous chunks, the caller taking the first. For batches of independent envs
// stepped in lockstep (the multi-agent VecEnv); the single-agent VecEnv has its own
// cost-balancing pool for its async mode.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rlarena {

class WorkerPool {
 public:
  // `threads` counts the caller: 1 runs every loop on the calling thread.
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  int threads() const { return static_cast<int>(workers_.size()) + 1; }
  // Calls fn(begin, end) on chunks covering [0, count) and returns when all are done;
  // the first exception a chunk threw is rethrown here.
  void run(int64_t count, const std::function<void(int64_t, int64_t)>& fn);

 private:
  void worker_loop(int index);
  void run_chunk(int index);

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable start_cv_, done_cv_;
  const std::function<void(int64_t, int64_t)>* fn_ = nullptr;
  int64_t count_ = 0;
  uint64_t generation_ = 0;
  int pending_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
};

}  // namespace rlarena
