#include "offline/trainer.h"

#include <algorithm>

#include "common/error.h"
#include "envs/core/registry.h"
#include "offline/scores.h"
#include "replay/dataset.h"

namespace rlarena {

namespace {

std::string shape_text(const Space& s) {
  return s.kind() == Space::Kind::Discrete ? s.repr() : shape_repr(s.shape()) + " " + dtype_name(s.dtype());
}

bool fits(const Space& data, const Space& env) {
  if (env.kind() == Space::Kind::Discrete) return data.dtype() == DType::Int64 && data.numel() == 1;
  return data.dtype() == env.dtype() && data.numel() == env.numel();
}

}  // namespace

std::unique_ptr<ReplayStore> load_dataset_for(const std::string& path_or_id, const std::string& env_id,
                                              const Space& observations, const Space& actions, Metadata* metadata) {
  if (path_or_id.empty())
    throw Error("dataset = (nothing): offline training needs a dataset; give dataset = FILE.hdf5, a Minari "
                "directory or a Minari id such as mujoco/hopper/medium-v0");
  auto store = read_dataset(path_or_id, metadata);
  const Space &obs = store->observation_space(), &act = store->action_space();
  if (!fits(obs, observations) || !fits(act, actions))
    throw Error("dataset " + path_or_id + " has observations " + shape_text(obs) + " and actions " + shape_text(act) +
                ", but " + env_id + " has observations " + shape_text(observations) + " and actions " +
                shape_text(actions) + "; give a dataset recorded on " + env_id + " (or env = the dataset's env)");
  if (store->closed() == 0) throw Error("dataset " + path_or_id + " holds no transitions");
  return store;
}

std::vector<KeySpec> OfflineTrainer::keys() {
  return {{"dataset", "", "D4RL .hdf5 file, Minari dataset directory or Minari id (namespace/name-vN)"},
          {"batch_size", "256", "transitions per gradient step"},
          {"log_every", "1000", "gradient steps per metrics row"},
          {"online_steps", "0", "env steps of online fine-tuning after the offline phase (the same store)"},
          {"mixing_ratio", "",
           "share of each online-phase batch drawn from the dataset, the rest from the online steps (CORL's Cal-QL: "
           "0.5); empty: uniformly from the whole store (CORL's IQL and CQL)"}};
}

std::vector<KeySpec> offline_keys(const std::string& algo, int64_t total_steps) {
  std::vector<KeySpec> keys = run_keys(algo, "Hopper-v5", total_steps, 1);
  for (auto& k : keys) {
    if (k.name == "total_steps") k.help = "gradient steps in all (offline: no env steps)";
    if (k.name == "eval_every") k.help = "gradient steps between deterministic evaluations (0: only the final one)";
    if (k.name == "checkpoint_every") k.help = "gradient steps between checkpoints (0: only at the end and on Ctrl-C)";
    if (k.name == "num_envs") k.help = "unused offline (evaluation makes its own envs)";
  }
  for (auto& k : OfflineTrainer::keys()) keys.push_back(k);
  return keys;
}

OfflineTrainer::OfflineTrainer(const Recipe& r, const LearnerFactory& make_learner)
    : batch_(r.integer("batch_size", 1)),
      log_every_(r.integer("log_every", 1)),
      total_steps_(r.integer("total_steps", 1)),
      online_steps_(r.integer("online_steps", 0)) {
  const std::string env_id = r.text("env");
  const auto env = make(env_id, r.kwargs());
  Metadata metadata;
  store_ = load_dataset_for(r.text("dataset"), env_id, env->observation_space(), env->action_space(), &metadata);
  refs_ = rlarena::score_refs(metadata, env_id);
  learner_ = learner_for_env(make_learner, r, env->observation_space(), env->action_space());
  if (auto* fitted = dynamic_cast<FitsDataset*>(learner_.get())) fitted->fit(*store_);
  if (online_steps_ > 0) {
    // One store for both phases: the dataset, then room for every online step.
    online_ = std::make_unique<OnlineSource>(r);
    online_->open(store_->closed() + online_steps_ + 2 * online_->num_envs(), store_.get());
    store_.reset();
  }
  SamplerOptions sampling;
  sampling.seed = static_cast<uint64_t>(r.integer("seed")) + 1;
  const bool mixing = !r.text("mixing_ratio").empty();
  const double dataset_share = mixing ? r.number_in("mixing_ratio", 0, 1) : 0;  // checked offline too
  if (!online_ || !mixing) {
    sampler_ = std::make_unique<StoreSampler>(online_ ? online_->store() : *store_, sampling);
    return;
  }
  // The dataset is the store's first rows; the offline phase draws them exactly as the
  // whole store, so it equals a run without a mixing ratio.
  ReplayStore& store = online_->store();
  const int64_t dataset_rows = store.size();
  sampling.rows = {0, dataset_rows};
  sampler_ = std::make_unique<StoreSampler>(store, sampling);
  SamplerOptions online_sampling;
  online_sampling.seed = sampling.seed + 1;
  online_sampling.rows = {dataset_rows, -1};
  online_sampler_ = std::make_unique<StoreSampler>(store, online_sampling, "online_sampler");
  mixed_ = std::make_unique<MixedSource>(*sampler_, *online_sampler_, dataset_share);
}

std::vector<std::string> OfflineTrainer::loss_names() {
  std::vector<std::string> names = {"gradient_step", "phase"};
  for (const auto& n : learner_->loss_names()) names.push_back(n);
  return names;
}

Report OfflineTrainer::iterate(const std::atomic<bool>& stop) {
  Report report;
  LossMeans losses(learner_->loss_names().size());
  const bool online_phase = online();
  const int64_t phase_end = online_phase ? total_steps_ + online_steps_ : total_steps_;
  const int64_t end = std::min(phase_end, (gradient_steps_ / log_every_ + 1) * log_every_);
  const auto learn = [&] {
    const double progress = static_cast<double>(gradient_steps_) / (total_steps_ + online_steps_);
    MinibatchSource& source = online_phase && mixed_ ? static_cast<MinibatchSource&>(*mixed_) : *sampler_;
    losses.add(learner_->update(source.sample(batch_, progress)));
    ++gradient_steps_;
  };
  while (gradient_steps_ < end && !stop.load(std::memory_order_relaxed)) {
    if (!online_phase) {
      learn();
      continue;
    }
    // Online: the learner acts in every env, the steps join the store, one update per env step.
    const int64_t n = online_->num_envs(), obs_dim = online_->observation_space().numel();
    actions_.resize(n * online_->action_space().byte_size());
    {
      torch::InferenceMode guard;
      const torch::Tensor obs =
          torch::from_blob(const_cast<void*>(online_->current().obs), {n, obs_dim}, torch::kFloat32);
      learner_->act(obs, Acting::Stochastic, actions_.data());
    }
    const size_t before = report.episode_ends.size();
    online_->step(actions_.data(), report);
    // Episodes end on the run's axis: the offline gradient steps, then the online env steps.
    for (size_t e = before; e < report.episode_ends.size(); ++e) report.episode_ends[e] += total_steps_;
    for (int64_t k = 0; k < n; ++k) learn();
  }
  report.global_step = gradient_steps_;
  report.losses = {static_cast<double>(gradient_steps_), online_phase ? 1.0 : 0.0};
  for (double l : losses.means()) report.losses.push_back(l);
  return report;
}

void OfflineTrainer::declare(Parts& parts) {
  learner_->declare(parts);
  sampler_->declare(parts);
  if (online_sampler_) online_sampler_->declare(parts);
  parts.value("offline/gradient_steps", gradient_steps_);
  if (online_) online_->declare(parts);
}

}  // namespace rlarena
