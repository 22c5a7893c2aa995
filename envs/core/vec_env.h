// VecEnv: N copies of one env stepped by a fixed thread pool into preallocated batch
// buffers. Sync mode (Gymnasium's vector env): step(actions) for all envs. Async mode
// (EnvPool's): send(actions, env_ids) / recv() returns the first batch_size envs to
// finish, so slow envs never block. Both auto-reset in the same step (see Batch).
// Env i is seeded seed + i; results never depend on the number of threads.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/state_map.h"
#include "envs/core/batch.h"
#include "envs/core/env_batch.h"
#include "envs/core/env.h"
#include "envs/core/kwargs.h"
#include "envs/core/spin_lock.h"

namespace rlarena {

class VecEnv final : public EnvBatch {
 public:
  // num_threads counts the caller: 1 runs everything on the calling thread.
  // batch_size (async mode) defaults to num_envs.
  VecEnv(const std::string& id, int64_t num_envs, uint64_t seed, int num_threads = 1,
         int64_t batch_size = 0, const Kwargs& kwargs = {});
  ~VecEnv();
  VecEnv(const VecEnv&) = delete;
  VecEnv& operator=(const VecEnv&) = delete;

  int64_t num_envs() const { return static_cast<int64_t>(envs_.size()); }
  // EnvBatch: a row per env.
  const std::string& env_id() const override { return spec().id; }
  int64_t rows() const override { return num_envs(); }
  int64_t env_steps_per_step() const override { return num_envs(); }
  Env* row_env(int64_t row) override { return envs_.at(row).get(); }
  int64_t batch_size() const { return batch_size_; }
  int num_threads() const { return num_threads_; }
  const EnvSpec& spec() const { return envs_.front()->spec(); }
  const Space& observation_space() const override { return envs_.front()->observation_space(); }
  const Space& action_space() const override { return envs_.front()->action_space(); }
  const std::vector<std::string>& info_keys() const { return envs_.front()->info_keys(); }
  // Direct access (e.g. set_state); not while async steps are in flight.
  Env& env(int64_t i) { return *envs_.at(i); }

  // --- Sync mode: rows are envs 0..N-1 in order.
  // Resets every env: env i gets seed + i (the constructor's seed unless one is given
  // here); later resets without a seed continue each env's stream.
  const Batch& reset(std::optional<uint64_t> seed = std::nullopt) override;
  // `actions` is [num_envs, action] in the action space's dtype.
  const Batch& step(const void* actions) override;
  const Batch& step(const std::vector<int64_t>& actions);
  const Batch& step(const std::vector<float>& actions);

  // --- Checkpoints (sync mode). With recording on, snapshot() holds what restore()
  // needs to bring a new VecEnv of the same id, size and kwargs to this one's state
  // (each env's episode log, see Env::EpisodeLog); restore() returns the batch of
  // current observations, with episode returns and lengths as they were.
  struct Snapshot {
    std::vector<Env::EpisodeLog> episodes;
    bool seeded_once = false;
  };
  void record_episodes(bool on) override;
  Snapshot snapshot() const;
  const Batch& restore(const Snapshot& snapshot);
  // The snapshot as named entries of a checkpoint under `prefix`, and back.
  void save_state(StateMap& out, const std::string& prefix) const override;
  const Batch& load_state(const StateMap& in, const std::string& prefix) override;

  // --- Async mode.
  // Queues a reset of every env (seeded as reset()); results arrive through recv().
  void async_reset(std::optional<uint64_t> seed = std::nullopt);
  // Queues one step for each of `count` envs; `actions` is [count, action] in the
  // order of `env_ids`. An env must have been received before it is sent again.
  void send(const void* actions, const int64_t* env_ids, int64_t count);
  // Waits for batch_size envs to finish; rows are in completion order. The batch
  // stays valid until the next recv().
  const Batch& recv();

 private:
  // A task is `count` env ids stored from position `pos` (mod num_envs) of id_ring_.
  struct Task {
    int64_t pos = 0;
    int64_t count = 0;
  };
  struct TaskResult {
    std::exception_ptr error;    // the first failure in the task
    std::vector<int64_t> failed;  // envs whose step threw (empty, no allocation, normally)
    double ns = 0;               // wall time of the task
  };
  enum class Op : uint8_t { Reset, Step };

  void run_env(int64_t i);
  TaskResult run_task(const int64_t* ids, int64_t count);
  // The pool; these hold mu_.
  int64_t chunk_for(int64_t count) const;
  bool is_outlier(int64_t env) const;
  void push_tasks(const int64_t* ids, int64_t count);
  // Copies the next task's ids out of the ring; workers take outliers first, the
  // caller never takes them. Returns false when nothing is queued for this thread.
  bool pop_task(std::vector<int64_t>& ids, bool worker, bool& outlier);
  void finish_task(const std::vector<int64_t>& ids, const TaskResult& r, bool outlier);
  void rethrow_error();
  void record_cost(double ns, int64_t count);
  void publish_queue();
  // Pops and runs one queued task, if any (drops and retakes the lock).
  bool help(std::unique_lock<SpinLock>& lk, std::vector<int64_t>& ids, bool worker);
  void worker_loop();
  // Blocks until another thread finishes a task or queues one: spins first (a
  // futex sleep and wake costs more than a whole batch of cheap envs), then sleeps.
  void wait_for_progress(std::unique_lock<SpinLock>& lk);
  void run_all_sync();
  void prepare_reset(std::optional<uint64_t> seed);
  void enqueue(const int64_t* ids, int64_t count);
  void check_no_async(const char* what) const;
  void check_actions(size_t count, DType dtype, int64_t rows) const;

  std::vector<std::unique_ptr<Env>> envs_;
  uint64_t seed_;
  bool seeded_once_ = false;
  int num_threads_;
  int64_t batch_size_;
  size_t act_bytes_;

  BatchBuffers slots_;  // one row per env; the sync batch
  BatchBuffers out_;    // batch_size rows; the async batch
  Batch sync_view_, async_view_;
  std::vector<uint8_t> act_slots_;  // async actions, one row per env
  const uint8_t* action_base_ = nullptr;  // row i is env i's action
  std::vector<Op> op_;
  std::vector<std::optional<uint64_t>> reset_seed_;
  std::vector<double> run_return_;   // running episode return per env
  std::vector<int64_t> run_length_;  // running episode length per env
  std::vector<int64_t> all_ids_;     // 0..N-1
  // Async bookkeeping owned by the caller's thread.
  std::vector<uint8_t> in_flight_;
  int64_t in_flight_count_ = 0;
  std::vector<int64_t> batch_ids_;
  std::vector<int64_t> sorted_ids_, normal_ids_;
  std::vector<int64_t> by_cost_;  // one-env tasks, costliest first
  std::vector<uint8_t> mark_;  // scratch for sorting ids
  std::vector<int64_t> deferred_;  // sent envs the caller steps itself in recv()

  // Pool state, guarded by mu_.
  SpinLock mu_;
  std::condition_variable_any work_cv_, done_cv_;
  std::vector<Task> tasks_;  // ring of queued tasks
  int64_t task_head_ = 0, task_count_ = 0;
  std::vector<int64_t> id_ring_;  // env ids of queued tasks
  int64_t id_tail_ = 0;
  std::vector<int64_t> caller_ids_;  // the caller's copy of the task it runs
  double step_ns_ = 0;  // running mean cost of one (non-outlier) env step, sizes the tasks
  std::vector<double> cost_ns_;  // running cost of each env's step
  int64_t costly_envs_ = 0;      // envs whose cost_ns_ is above the outlier minimum
  // Async envs far slower than the rest, one per task, for workers only: the caller
  // must not get stuck in one while fast envs could fill its batch.
  std::vector<int64_t> outliers_;
  int64_t outlier_head_ = 0, outlier_count_ = 0;
  // task_count_ and outlier_count_, readable without the lock while spinning.
  std::atomic<int64_t> queued_{0}, queued_outliers_{0};
  std::atomic<int64_t> finished_{0};  // tasks finished so far, for spinning waiters
  int64_t executing_ = 0;           // envs in tasks being run
  int sleeping_workers_ = 0;
  bool caller_sleeping_ = false;
  int64_t sync_remaining_ = 0;
  std::vector<int64_t> completed_;  // ring of finished env ids (async)
  int64_t completed_head_ = 0, completed_count_ = 0;
  std::vector<int64_t> failed_ids_;  // async envs whose step threw
  std::exception_ptr error_;
  bool async_mode_ = false;
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace rlarena
