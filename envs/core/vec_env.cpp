#include "envs/core/vec_env.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "common/error.h"
#include "envs/core/registry.h"


namespace rlarena {

namespace {
// A step below this never counts as an outlier, however cheap the others are.
constexpr double kOutlierMinNs = 50000;
// How long an idle worker spins before it sleeps: long enough to bridge the gap
// between two batches of fast envs, short enough not to burn a core for nothing.
constexpr int kSpinIterations = 20000;
}  // namespace

VecEnv::VecEnv(const std::string& id, int64_t num_envs, uint64_t seed, int num_threads,
               int64_t batch_size, const Kwargs& kwargs)
    : seed_(seed), num_threads_(num_threads), batch_size_(batch_size ? batch_size : num_envs) {
  if (num_envs < 1)
    throw Error("VecEnv(" + id + "): num_envs=" + std::to_string(num_envs) + "; give 1 or more");
  if (num_threads < 1)
    throw Error("VecEnv(" + id + "): num_threads=" + std::to_string(num_threads) +
                "; give 1 or more (1 runs on the calling thread)");
  if (batch_size_ < 1 || batch_size_ > num_envs)
    throw Error("VecEnv(" + id + "): batch_size=" + std::to_string(batch_size) +
                " must be between 1 and num_envs=" + std::to_string(num_envs));
  envs_.reserve(num_envs);
  for (int64_t i = 0; i < num_envs; ++i) envs_.push_back(make(id, kwargs));
  const Env& e = *envs_.front();
  act_bytes_ = e.action_space().byte_size();
  slots_.allocate(num_envs, e.observation_space().byte_size(), e.info_keys().size());
  out_.allocate(batch_size_, e.observation_space().byte_size(), e.info_keys().size());
  for (int64_t i = 0; i < num_envs; ++i) slots_.env_ids[i] = i;
  sync_view_ = slots_.view(num_envs);
  async_view_ = out_.view(batch_size_);
  act_slots_.assign(num_envs * act_bytes_, 0);
  op_.assign(num_envs, Op::Reset);
  reset_seed_.assign(num_envs, std::nullopt);
  in_flight_.assign(num_envs, 0);
  batch_ids_.assign(batch_size_, 0);
  run_return_.assign(num_envs, 0.0);
  run_length_.assign(num_envs, 0);
  all_ids_.resize(num_envs);
  for (int64_t i = 0; i < num_envs; ++i) all_ids_[i] = i;
  tasks_.resize(num_envs);
  id_ring_.resize(num_envs);
  cost_ns_.assign(num_envs, 0.0);
  mark_.assign(num_envs, 0);
  sorted_ids_.reserve(num_envs);
  by_cost_.reserve(num_envs);
  normal_ids_.reserve(num_envs);
  outliers_.resize(num_envs);
  deferred_.reserve(num_envs);
  caller_ids_.reserve(num_envs);
  completed_.resize(num_envs);
  for (int t = 1; t < num_threads_; ++t) workers_.emplace_back([this] { worker_loop(); });
}

VecEnv::~VecEnv() {
  {
    std::lock_guard<SpinLock> lk(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  for (auto& w : workers_) w.join();
}

// ---------------------------------------------------------------- one env

void VecEnv::run_env(int64_t i) {
  Env& e = *envs_[i];
  BatchBuffers& s = slots_;
  if (op_[i] == Op::Reset) {
    e.reset_into(reset_seed_[i], s.obs_row(i));
    s.reward[i] = 0;
    s.terminated[i] = s.truncated[i] = 0;
    s.episode_return[i] = run_return_[i] = 0;
    s.episode_length[i] = run_length_[i] = 0;
    std::fill_n(s.info_row(i), s.num_info, 0.0);
    op_[i] = Op::Step;
    return;
  }
  const StepOut o = e.step_into(action_base_ + i * act_bytes_, s.obs_row(i), s.info_row(i));
  s.reward[i] = o.reward;
  s.terminated[i] = o.terminated;
  s.truncated[i] = o.truncated;
  s.episode_return[i] = run_return_[i] += o.reward;
  s.episode_length[i] = ++run_length_[i];
  if (o.terminated || o.truncated) {  // same-step autoreset
    std::memcpy(s.final_obs_row(i), s.obs_row(i), s.obs_bytes);
    e.reset_into(std::nullopt, s.obs_row(i));
    run_return_[i] = 0;
    run_length_[i] = 0;
  }
}

VecEnv::TaskResult VecEnv::run_task(const int64_t* ids, int64_t count) {
  TaskResult r;
  const auto start = std::chrono::steady_clock::now();
  for (int64_t k = 0; k < count; ++k) {
    try {
      run_env(ids[k]);
    } catch (...) {
      if (!r.error) r.error = std::current_exception();
      r.failed.push_back(ids[k]);
    }
  }
  r.ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
  return r;
}

// ---------------------------------------------------------------- pool

// Envs per task, or 0 when the batch is too little work to share. Handing a task
// to another core costs about a microsecond, so a batch of cheap envs (CartPole:
// ~40 ns a step) worth only a few microseconds stays on the caller, medium ones
// split into a task per thread, and expensive envs (MuJoCo) go one env per task so
// that one slow env holds back as few others as possible.
int64_t VecEnv::chunk_for(int64_t count) const {
  constexpr double kParallelMinNs = 20000;
  constexpr double kMinTaskNs = 20000;
  const int64_t threads = num_threads_;
  if (threads == 1) return 0;
  const int64_t per_thread = (count + threads - 1) / threads;
  if (step_ns_ <= 0) return std::max<int64_t>(1, (count + 4 * threads - 1) / (4 * threads));
  if (count * step_ns_ < kParallelMinNs) return 0;
  const auto min_chunk = static_cast<int64_t>(std::ceil(kMinTaskNs / step_ns_));
  return std::clamp<int64_t>(min_chunk, 1, per_thread);
}

// An env whose step costs many times the typical one (e.g. it renders, or waits
// on something): in async mode it runs on a worker by itself.
bool VecEnv::is_outlier(int64_t env) const {
  constexpr double kOutlierFactor = 8;
  return num_threads_ > 1 && cost_ns_[env] > kOutlierMinNs &&
         cost_ns_[env] > kOutlierFactor * step_ns_;
}

void VecEnv::push_tasks(const int64_t* ids, int64_t count) {
  const int64_t n = num_envs();
  const int64_t chunk = std::max<int64_t>(1, chunk_for(count));
  if (chunk == 1 && count > num_threads_) {
    // Expensive envs, one per task: the costliest (by their recent steps) go first,
    // so the last tasks are short and the threads finish together.
    by_cost_.assign(ids, ids + count);
    std::stable_sort(by_cost_.begin(), by_cost_.end(),
                     [this](int64_t a, int64_t b) { return cost_ns_[a] > cost_ns_[b]; });
    ids = by_cost_.data();
  }
  for (int64_t begin = 0; begin < count; begin += chunk) {
    Task& t = tasks_[(task_head_ + task_count_) % n];
    t.pos = id_tail_;
    t.count = std::min(chunk, count - begin);
    for (int64_t k = 0; k < t.count; ++k) id_ring_[(id_tail_ + k) % n] = ids[begin + k];
    id_tail_ = (id_tail_ + t.count) % n;
    ++task_count_;
  }
  publish_queue();
  if (sleeping_workers_) work_cv_.notify_all();
}

bool VecEnv::pop_task(std::vector<int64_t>& ids, bool worker, bool& outlier) {
  const int64_t n = num_envs();
  outlier = worker && outlier_count_ > 0;
  if (outlier) {
    ids.assign(1, outliers_[outlier_head_]);
    outlier_head_ = (outlier_head_ + 1) % n;
    --outlier_count_;
  } else if (task_count_ > 0) {
    const Task& t = tasks_[task_head_];
    // A copy: once popped, the ring positions may be reused by later sends.
    ids.resize(t.count);
    for (int64_t k = 0; k < t.count; ++k) ids[k] = id_ring_[(t.pos + k) % n];
    task_head_ = (task_head_ + 1) % n;
    --task_count_;
  } else {
    return false;
  }
  publish_queue();
  executing_ += static_cast<int64_t>(ids.size());
  return true;
}

void VecEnv::finish_task(const std::vector<int64_t>& ids, const TaskResult& r, bool outlier) {
  const auto count = static_cast<int64_t>(ids.size());
  executing_ -= count;
  if (count > 0) {
    const double per_env = r.ns / count;
    // A task of one env measures that env exactly; larger tasks give an average.
    for (int64_t id : ids) {
      const bool was_costly = cost_ns_[id] > kOutlierMinNs;
      cost_ns_[id] = count == 1 || cost_ns_[id] <= 0 ? per_env : 0.5 * cost_ns_[id] + 0.5 * per_env;
      costly_envs_ += (cost_ns_[id] > kOutlierMinNs) - was_costly;
    }
    if (!outlier) record_cost(r.ns, count);
  }
  if (r.error && !error_) error_ = r.error;
  if (async_mode_) {
    const int64_t n = num_envs();
    for (int64_t id : ids) {
      if (std::find(r.failed.begin(), r.failed.end(), id) != r.failed.end()) {
        failed_ids_.push_back(id);  // recv() reports it and frees the env
        continue;
      }
      completed_[(completed_head_ + completed_count_) % n] = id;
      ++completed_count_;
    }
  } else {
    sync_remaining_ -= count;
  }
  finished_.fetch_add(1, std::memory_order_release);
  if (caller_sleeping_) done_cv_.notify_one();
}

void VecEnv::publish_queue() {
  queued_.store(task_count_, std::memory_order_release);
  queued_outliers_.store(outlier_count_, std::memory_order_release);
}

void VecEnv::record_cost(double ns, int64_t count) {
  if (count <= 0) return;
  const double per_env = ns / count;
  // One sample can at most double the typical cost: a slow env's steps must not keep
  // the typical cost up, or that env never counts as an outlier and the caller may
  // run (and wait on) it in place of the fast envs.
  step_ns_ = step_ns_ <= 0 ? per_env : 0.9 * step_ns_ + 0.1 * std::min(per_env, 2 * step_ns_);
}

bool VecEnv::help(std::unique_lock<SpinLock>& lk, std::vector<int64_t>& ids, bool worker) {
  bool outlier = false;
  if (!pop_task(ids, worker, outlier)) return false;
  lk.unlock();
  const TaskResult r = run_task(ids.data(), static_cast<int64_t>(ids.size()));
  lk.lock();
  finish_task(ids, r, outlier);
  return true;
}

void VecEnv::wait_for_progress(std::unique_lock<SpinLock>& lk) {
  const int64_t seen = finished_.load(std::memory_order_acquire);
  lk.unlock();
  for (int k = 0; k < kSpinIterations; ++k) {
    if (finished_.load(std::memory_order_acquire) != seen || queued_.load(std::memory_order_acquire))
      break;
    RLARENA_PAUSE();
  }
  lk.lock();
  if (finished_.load(std::memory_order_acquire) != seen || task_count_ > 0) return;
  caller_sleeping_ = true;
  done_cv_.wait(lk);
  caller_sleeping_ = false;
}

void VecEnv::worker_loop() {
  std::vector<int64_t> ids;
  ids.reserve(num_envs());
  std::unique_lock<SpinLock> lk(mu_);
  while (!stop_) {
    if (help(lk, ids, true)) continue;
    lk.unlock();
    for (int k = 0; k < kSpinIterations && queued_.load(std::memory_order_acquire) == 0 &&
                    queued_outliers_.load(std::memory_order_acquire) == 0;
         ++k)
      RLARENA_PAUSE();
    lk.lock();
    if (task_count_ == 0 && outlier_count_ == 0 && !stop_) {
      ++sleeping_workers_;
      work_cv_.wait(lk);
      --sleeping_workers_;
    }
  }
}

void VecEnv::rethrow_error() {
  for (int64_t id : failed_ids_) {
    in_flight_[id] = 0;
    --in_flight_count_;
  }
  failed_ids_.clear();
  if (error_) {
    std::exception_ptr e = error_;
    error_ = nullptr;
    std::rethrow_exception(e);
  }
}

// ---------------------------------------------------------------- sync mode

void VecEnv::run_all_sync() {
  const int64_t n = num_envs();
  std::unique_lock<SpinLock> lk(mu_);
  async_mode_ = false;
  if (chunk_for(n) == 0) {  // the fast path for cheap envs: no hand-over at all
    lk.unlock();
    const TaskResult r = run_task(all_ids_.data(), n);
    lk.lock();
    record_cost(r.ns, n);
    if (r.error) std::rethrow_exception(r.error);
    return;
  }
  sync_remaining_ = n;
  push_tasks(all_ids_.data(), n);
  while (sync_remaining_ > 0)
    if (!help(lk, caller_ids_, false)) wait_for_progress(lk);  // the caller takes a share
  rethrow_error();
}

void VecEnv::check_no_async(const char* what) const {
  if (in_flight_count_ > 0)
    throw Error("VecEnv(" + spec().id + "): " + what + " while " + std::to_string(in_flight_count_) +
                " async steps are in flight; recv() them first");
}

const Batch& VecEnv::reset(std::optional<uint64_t> seed) {
  check_no_async("reset()");
  prepare_reset(seed);
  run_all_sync();
  return sync_view_;
}

void VecEnv::prepare_reset(std::optional<uint64_t> seed) {
  if (!seed && !seeded_once_) seed = seed_;
  seeded_once_ = true;
  for (int64_t i = 0; i < num_envs(); ++i) {
    op_[i] = Op::Reset;
    reset_seed_[i] = seed ? std::optional<uint64_t>(*seed + i) : std::nullopt;
  }
}

void VecEnv::record_episodes(bool on) {
  for (auto& e : envs_) e->record_episodes(on);
}

VecEnv::Snapshot VecEnv::snapshot() const {
  check_no_async("snapshot()");
  Snapshot snap;
  snap.seeded_once = seeded_once_;
  for (const auto& e : envs_) snap.episodes.push_back(e->episode_log());
  return snap;
}

const Batch& VecEnv::restore(const Snapshot& snap) {
  check_no_async("restore()");
  if (static_cast<int64_t>(snap.episodes.size()) != num_envs())
    throw Error("VecEnv(" + spec().id + "): the snapshot holds " + std::to_string(snap.episodes.size()) +
                " envs; this VecEnv has " + std::to_string(num_envs()) + " (give num_envs as when it was taken)");
  BatchBuffers& s = slots_;
  for (int64_t i = 0; i < num_envs(); ++i) {
    Env& e = *envs_[i];
    const Env::EpisodeLog& log = snap.episodes[i];
    if (log.actions.size() % act_bytes_ != 0)
      throw Error("VecEnv(" + spec().id + "): a snapshot's action log does not fit this env's actions");
    e.set_rng_state(log.rng);
    e.reset_into(std::nullopt, s.obs_row(i));
    run_return_[i] = 0;
    run_length_[i] = 0;
    for (size_t k = 0; k < log.actions.size(); k += act_bytes_) {
      const StepOut o = e.step_into(log.actions.data() + k, s.obs_row(i), s.info_row(i));
      run_return_[i] += o.reward;
      ++run_length_[i];
    }
    s.reward[i] = 0;
    s.terminated[i] = s.truncated[i] = 0;
    s.episode_return[i] = run_return_[i];
    s.episode_length[i] = run_length_[i];
    op_[i] = Op::Step;
  }
  seeded_once_ = snap.seeded_once;
  return sync_view_;
}

void VecEnv::save_state(StateMap& out, const std::string& prefix) const {
  const Snapshot snap = snapshot();
  put_state(out, prefix + "seeded_once", static_cast<uint8_t>(snap.seeded_once));
  for (size_t i = 0; i < snap.episodes.size(); ++i) {
    put_state(out, prefix + "rng_" + std::to_string(i), snap.episodes[i].rng);
    put_state(out, prefix + "actions_" + std::to_string(i), snap.episodes[i].actions);
  }
}

const Batch& VecEnv::load_state(const StateMap& in, const std::string& prefix) {
  Snapshot snap;
  snap.seeded_once = get_state_value<uint8_t>(in, prefix + "seeded_once") != 0;
  snap.episodes.resize(num_envs());
  for (int64_t i = 0; i < num_envs(); ++i) {
    snap.episodes[i].rng = get_state_value<Rng::State>(in, prefix + "rng_" + std::to_string(i));
    get_state(in, prefix + "actions_" + std::to_string(i), snap.episodes[i].actions);
  }
  return restore(snap);
}

const Batch& VecEnv::step(const void* actions) {
  check_no_async("step()");
  action_base_ = static_cast<const uint8_t*>(actions);
  run_all_sync();
  return sync_view_;
}

void VecEnv::check_actions(size_t count, DType dtype, int64_t rows) const {
  const Space& a = action_space();
  if (dtype != a.dtype() || static_cast<int64_t>(count) != rows * a.numel())
    throw Error("VecEnv(" + spec().id + "): got " + std::to_string(count) + " " + dtype_name(dtype) +
                " actions; give " + std::to_string(rows) + " x " + std::to_string(a.numel()) + " " +
                dtype_name(a.dtype()) + " values for " + a.repr());
}

const Batch& VecEnv::step(const std::vector<int64_t>& actions) {
  check_actions(actions.size(), DType::Int64, num_envs());
  return step(static_cast<const void*>(actions.data()));
}

const Batch& VecEnv::step(const std::vector<float>& actions) {
  check_actions(actions.size(), DType::Float32, num_envs());
  return step(static_cast<const void*>(actions.data()));
}

// ---------------------------------------------------------------- async mode

void VecEnv::async_reset(std::optional<uint64_t> seed) {
  check_no_async("async_reset()");
  prepare_reset(seed);
  enqueue(all_ids_.data(), num_envs());
}

void VecEnv::send(const void* actions, const int64_t* env_ids, int64_t count) {
  const auto* a = static_cast<const uint8_t*>(actions);
  for (int64_t k = 0; k < count; ++k) {
    const int64_t id = env_ids[k];
    if (id < 0 || id >= num_envs())
      throw Error("VecEnv(" + spec().id + "): send() got env id " + std::to_string(id) +
                  "; ids run from 0 to " + std::to_string(num_envs() - 1));
    if (in_flight_[id])
      throw Error("VecEnv(" + spec().id + "): send() got env " + std::to_string(id) +
                  " twice before recv(); send each env once per recv()");
    for (int64_t j = 0; j < k; ++j)
      if (env_ids[j] == id)
        throw Error("VecEnv(" + spec().id + "): send() got env " + std::to_string(id) +
                    " twice in one call; give each env once");
  }
  for (int64_t k = 0; k < count; ++k)
    std::memcpy(act_slots_.data() + env_ids[k] * act_bytes_, a + k * act_bytes_, act_bytes_);
  action_base_ = act_slots_.data();
  enqueue(env_ids, count);
}

void VecEnv::enqueue(const int64_t* ids, int64_t count) {
  for (int64_t k = 0; k < count; ++k) in_flight_[ids[k]] = 1;
  in_flight_count_ += count;
  std::lock_guard<SpinLock> lk(mu_);
  async_mode_ = true;
  if (costly_envs_ > 0) {  // only then can there be outliers
    normal_ids_.clear();
    for (int64_t k = 0; k < count; ++k) {
      if (is_outlier(ids[k])) {
        outliers_[(outlier_head_ + outlier_count_) % num_envs()] = ids[k];
        ++outlier_count_;
      } else {
        normal_ids_.push_back(ids[k]);
      }
    }
    ids = normal_ids_.data();
    count = static_cast<int64_t>(normal_ids_.size());
    publish_queue();
    if (count == 0) {
      if (sleeping_workers_) work_cv_.notify_all();
      return;
    }
  }
  if (chunk_for(count) == 0) {  // too little work to hand over: recv() runs it
    deferred_.insert(deferred_.end(), ids, ids + count);
    executing_ += count;
    if (outlier_count_ && sleeping_workers_) work_cv_.notify_all();
    return;
  }
  // Sorted ids give each thread the same envs batch after batch (as in sync mode),
  // so env state stays in that core's cache instead of moving between cores.
  if (count * 8 >= num_envs()) {  // a large share of the envs: mark and scan, O(num_envs)
    for (int64_t k = 0; k < count; ++k) mark_[ids[k]] = 1;
    sorted_ids_.clear();
    for (int64_t i = 0; i < num_envs(); ++i)
      if (mark_[i]) {
        sorted_ids_.push_back(i);
        mark_[i] = 0;
      }
  } else {
    sorted_ids_.assign(ids, ids + count);
    std::sort(sorted_ids_.begin(), sorted_ids_.end());
  }
  push_tasks(sorted_ids_.data(), count);
}

const Batch& VecEnv::recv() {
  if (!deferred_.empty()) {
    const TaskResult r = run_task(deferred_.data(), static_cast<int64_t>(deferred_.size()));
    std::lock_guard<SpinLock> lk(mu_);
    finish_task(deferred_, r, false);
    deferred_.clear();
  }
  std::unique_lock<SpinLock> lk(mu_);
  while (completed_count_ < batch_size_) {
    rethrow_error();
    if (help(lk, caller_ids_, false)) continue;  // the caller works while the batch fills
    if (completed_count_ + executing_ + outlier_count_ < batch_size_)
      throw Error("VecEnv(" + spec().id + "): recv() needs " + std::to_string(batch_size_) +
                  " envs but only " + std::to_string(completed_count_ + executing_ + outlier_count_) +
                  " are in flight; send() actions for the envs of the last batch first");
    wait_for_progress(lk);
  }
  rethrow_error();
  const int64_t ring = static_cast<int64_t>(completed_.size());
  for (int64_t k = 0; k < batch_size_; ++k) batch_ids_[k] = completed_[(completed_head_ + k) % ring];
  completed_head_ = (completed_head_ + batch_size_) % ring;
  completed_count_ -= batch_size_;
  lk.unlock();
  for (int64_t k = 0; k < batch_size_; ++k) {
    out_.copy_row(slots_, batch_ids_[k], k);
    in_flight_[batch_ids_[k]] = 0;
  }
  in_flight_count_ -= batch_size_;
  return async_view_;
}

}  // namespace rlarena
