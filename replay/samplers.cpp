#include "replay/samplers.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/error.h"

namespace rlarena {

namespace {
// A uniformly drawn closed row of [begin, end) (open rows, at most one per env, are redrawn).
int64_t draw_closed(const ReplayStore& store, int64_t begin, int64_t end, Rng& rng) {
  for (int64_t tries = 0; tries < 64 * (end - begin); ++tries) {
    const int64_t k = begin + static_cast<int64_t>(rng.below(end - begin));
    const int64_t row = (store.oldest() + k) % store.capacity();
    if (store.is_closed(row)) return row;
  }
  throw Error("ReplayStore rows " + std::to_string(begin) + ".." + std::to_string(end) +
              " hold no complete step; add steps before sampling them");
}
int64_t draw_closed(const ReplayStore& store, Rng& rng) {
  if (store.closed() == 0) throw Error("ReplayStore holds no complete step yet; add steps before sampling");
  return draw_closed(store, 0, store.size(), rng);
}
}  // namespace

void SampleBatch::resize(const ReplayStore& store, int64_t n) {
  size = n;
  obs.resize(n * store.obs_bytes());
  next_obs.resize(n * store.obs_bytes());
  action.resize(n * store.action_bytes());
  reward.resize(n);
  terminated.resize(n);
  truncated.resize(n);
  rows.resize(n);
}

void gather(const ReplayStore& store, const int64_t* rows, int64_t count, SampleBatch& out) {
  out.resize(store, count);
  const size_t ob = store.obs_bytes(), ab = store.action_bytes();
  for (int64_t i = 0; i < count; ++i) {
    const int64_t r = rows[i];
    out.rows[i] = r;
    std::memcpy(out.obs.data() + i * ob, store.obs(r), ob);
    std::memcpy(out.next_obs.data() + i * ob, store.next_obs(r), ob);
    std::memcpy(out.action.data() + i * ab, store.action(r), ab);
    out.reward[i] = store.reward(r);
    out.terminated[i] = store.terminated(r);
    out.truncated[i] = store.truncated(r);
  }
}

void UniformSampler::sample(const ReplayStore& store, int64_t batch, SampleBatch& out, RowSpan span) {
  if (store.closed() == 0) throw Error("ReplayStore holds no complete step yet; add steps before sampling");
  const int64_t end = span.end < 0 ? store.size() : std::min(span.end, store.size());
  if (span.begin < 0 || span.begin >= end)
    throw Error("ReplayStore holds " + std::to_string(store.size()) + " rows; rows " + std::to_string(span.begin) +
                ".." + (span.end < 0 ? std::string() : std::to_string(span.end)) + " hold none of them");
  rows_.resize(batch);
  for (auto& r : rows_) r = draw_closed(store, span.begin, end, rng_);
  gather(store, rows_.data(), batch, out);
  out.weights.clear();
}

void last_segment_ends(const ReplayStore& store, int64_t steps, int64_t envs, SegmentEnds& out) {
  const int64_t cap = store.capacity();
  if (steps < 1 || envs < 1 || (steps + 1) * envs > store.size())
    throw Error("ReplayStore holds " + std::to_string(store.size()) + " rows; a segment of " +
                std::to_string(steps) + " steps of " + std::to_string(envs) + " envs needs " +
                std::to_string((steps + 1) * envs));
  const size_t ob = store.obs_bytes();
  out.steps = steps, out.envs = envs;
  out.terminated.resize(steps * envs);
  out.truncated.resize(steps * envs);
  out.final_obs.assign(steps * envs * ob, 0);
  // A sync writer lays step t of env e at a fixed stride: the newest N rows are open.
  const int64_t base = (store.head() - (steps + 1) * envs + 2 * cap) % cap;
  for (int64_t t = 0; t <= steps; ++t)
    for (int64_t e = 0; e < envs; ++e) {
      const int64_t row = (base + t * envs + e) % cap;
      const int64_t i = t * envs + e;
      if (t == steps) {
        if (store.is_closed(row))
          throw Error("the newest rows of the ReplayStore are not one open row per env: a segment needs a "
                      "sync VecWriter with the same number of envs");
        continue;
      }
      const int64_t next = store.next_row(row);
      if (!store.is_closed(row) || (next >= 0 && next != (row + envs) % cap))
        throw Error("ReplayStore rows are not laid out as " + std::to_string(envs) +
                    " envs stepped together; a segment needs a sync VecWriter with that many envs");
      out.terminated[i] = store.terminated(row);
      out.truncated[i] = store.truncated(row);
      if (next < 0) std::memcpy(out.final_obs.data() + i * ob, store.next_obs(row), ob);
    }
}

PrioritizedSampler::PrioritizedSampler(ReplayStore& store, double alpha, uint64_t seed, double epsilon)
    : store_(store), alpha_(alpha), epsilon_(epsilon), rng_(seed), tree_(store.capacity()) {
  if (!(alpha >= 0)) throw Error("prioritized replay alpha=" + std::to_string(alpha) + "; give alpha >= 0");
  // Rows written before this sampler existed start at the default priority.
  for (int64_t k = 0; k < store.size(); ++k) {
    const int64_t row = (store.oldest() + k) % store.capacity();
    if (store.is_closed(row)) tree_.set(row, max_priority_);
  }
  store.add_listener(this);
}

PrioritizedSampler::~PrioritizedSampler() { store_.remove_listener(this); }

void PrioritizedSampler::sample(int64_t batch, double beta, SampleBatch& out) {
  if (store_.closed() == 0 || !(tree_.total() > 0))
    throw Error("ReplayStore holds no complete step yet; add steps before sampling");
  rows_.resize(batch);
  // Stratified: one draw from each of `batch` equal slices of the total priority.
  const double slice = tree_.total() / static_cast<double>(batch);
  for (int64_t i = 0; i < batch; ++i) {
    const double mass = std::min((static_cast<double>(i) + rng_.uniform()) * slice, std::nextafter(tree_.total(), 0.0));
    rows_[i] = tree_.find(mass);
  }
  gather(store_, rows_.data(), batch, out);
  const double n = static_cast<double>(store_.closed());
  const double max_weight = std::pow(n * tree_.min() / tree_.total(), -beta);
  out.weights.resize(batch);
  for (int64_t i = 0; i < batch; ++i)
    out.weights[i] = std::pow(n * probability(rows_[i]), -beta) / max_weight;
}

void PrioritizedSampler::update(const int64_t* rows, const double* priorities, int64_t count) {
  for (int64_t i = 0; i < count; ++i) {
    if (!(priorities[i] >= 0) || !std::isfinite(priorities[i]))
      throw Error("prioritized replay: priority " + std::to_string(priorities[i]) + " for row " +
                  std::to_string(rows[i]) + " is not a finite number >= 0");
    if (!store_.is_closed(rows[i])) continue;  // overwritten since it was sampled
    const double p = std::pow(priorities[i] + epsilon_, alpha_);
    max_priority_ = std::max(max_priority_, p);
    tree_.set(rows[i], p);
  }
}

void TrajectorySampler::sample(const ReplayStore& store, int64_t batch, int64_t length, SampleBatch& out) {
  if (length < 1) throw Error("trajectory length " + std::to_string(length) + "; give 1 or more");
  rows_.resize(batch * length);
  // Rejection: a start whose episode ends (or whose data stops) within the run is redrawn.
  const int64_t max_tries = 1000 * batch + 1000;
  int64_t tries = 0;
  for (int64_t b = 0; b < batch; ++b) {
    for (;;) {
      if (++tries > max_tries)
        throw Error("ReplayStore has no runs of " + std::to_string(length) +
                    " steps inside one episode (or too few); give a shorter length or add more steps");
      int64_t row = draw_closed(store, rng_);
      bool ok = true;
      for (int64_t t = 0; t < length; ++t) {
        rows_[b * length + t] = row;
        if (t + 1 == length) break;
        const int64_t next = store.next_row(row);
        if (next < 0 || store.terminated(row) || store.truncated(row) || !store.is_closed(next) ||
            store.episode(next) != store.episode(row)) {
          ok = false;
          break;
        }
        row = next;
      }
      if (ok) break;
    }
  }
  gather(store, rows_.data(), batch * length, out);
  out.weights.clear();
}

void PrioritizedSampler::save_state(StateMap& out, const std::string& p) const {
  std::vector<double> leaves(store_.capacity());
  for (int64_t r = 0; r < store_.capacity(); ++r) leaves[r] = tree_.get(r);
  put_state(out, p + "priorities", leaves);
  put_state(out, p + "max_priority", max_priority_);
  put_state(out, p + "rng", rng_.state());
}

void PrioritizedSampler::load_state(const StateMap& in, const std::string& p) {
  std::vector<double> leaves(store_.capacity());
  get_state_sized(in, p + "priorities", leaves);
  // Inner sums are recomputed from their children on every set, so the rebuilt tree
  // equals the saved one bit for bit.
  for (int64_t r = 0; r < store_.capacity(); ++r) tree_.set(r, leaves[r]);
  max_priority_ = get_state_value<double>(in, p + "max_priority");
  rng_.set_state(get_state_value<Rng::State>(in, p + "rng"));
}

}  // namespace rlarena
