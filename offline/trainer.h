// The offline schedule: a dataset (a D4RL file, a Minari directory or id) is read into
// a ReplayStore once, and the learner takes gradient steps on minibatches sampled
// from it; total_steps counts gradient steps. The env is only made to evaluate.
// With online_steps = N (offline-to-online, as CORL fine-tunes IQL and CQL), the run
// then goes on in the envs for N env steps: the learner acts, its transitions join the
// dataset's in the same store, and it takes one gradient step per env step. Its batches
// are drawn uniformly from the whole store (CORL's IQL and CQL), or with mixing_ratio
// = m a share m from the dataset and the rest from the online steps (CORL's Cal-QL).
#pragma once
#include <memory>
#include <optional>

#include "agents/common/score.h"
#include "agents/common/trainer.h"
#include "agents/data/minibatch_source.h"
#include "agents/data/online_source.h"
#include "agents/offpolicy/trainer.h"
#include "replay/d4rl.h"

namespace rlarena {

// A learner that fits itself to its dataset before training (state normalization from
// the dataset's observations, a reward scale from its episode returns). What it fits is
// part of its declared state, so a loaded policy acts with the same statistics.
class FitsDataset {
 public:
  virtual ~FitsDataset() = default;
  virtual void fit(const ReplayStore& dataset) = 0;
};

// The dataset at `path_or_id` for an env with these spaces: an Error naming both
// shapes when they differ.
std::unique_ptr<ReplayStore> load_dataset_for(const std::string& path_or_id, const std::string& env_id,
                                              const Space& observations, const Space& actions, Metadata* metadata);

class OfflineTrainer : public Trainer {
 public:
  // Recipe keys: the run's, dataset, batch_size, log_every, online_steps, mixing_ratio.
  OfflineTrainer(const Recipe& recipe, const LearnerFactory& make_learner);
  static std::vector<KeySpec> keys();

  Learner& learner() override { return *learner_; }
  // gradient_step and phase (0 offline, 1 online) first, then the learner's losses.
  std::vector<std::string> loss_names() override;
  int64_t global_step() const override { return gradient_steps_; }
  int64_t total_steps() const override { return total_steps_ + online_steps_; }
  const ReplayStore& store() const override { return online_ ? online_->store() : *store_; }
  std::optional<ScoreRefs> score_refs() const override { return refs_; }
  // log_every gradient steps (or to the end of the phase, or `stop`).
  Report iterate(const std::atomic<bool>& stop) override;
  bool online() const { return gradient_steps_ >= total_steps_; }
  void declare(Parts& parts) override;

 private:
  std::unique_ptr<ReplayStore> store_;   // the dataset (offline only)
  std::unique_ptr<OnlineSource> online_;  // envs and the store of dataset + online steps (online_steps > 0)
  std::unique_ptr<Learner> learner_;
  std::unique_ptr<StoreSampler> sampler_;         // the dataset (with a mixing ratio), else the store
  std::unique_ptr<StoreSampler> online_sampler_;  // the online steps (with a mixing ratio)
  std::unique_ptr<MixedSource> mixed_;
  std::optional<ScoreRefs> refs_;
  int64_t batch_, log_every_, total_steps_, online_steps_, gradient_steps_ = 0;
  std::vector<uint8_t> actions_;
};

// The keys every offline algorithm has (run keys for an offline run, OfflineTrainer's),
// with `algo`'s name; the algorithm adds its learner's.
std::vector<KeySpec> offline_keys(const std::string& algo, int64_t total_steps);

// An offline algorithm: learner L (made from a recipe and spaces) on OfflineTrainer,
// with the offline keys and L's own.
template <typename L>
Algorithm offline_algorithm(const std::string& name, const std::string& summary, int64_t total_steps) {
  std::vector<KeySpec> keys = offline_keys(name, total_steps);
  for (auto& k : L::keys()) keys.push_back(k);
  const LearnerFactory make_learner = [](const Recipe& r, const Space& obs, const Space& act) -> std::unique_ptr<Learner> {
    return std::make_unique<L>(r, obs, act);
  };
  return {name, summary, keys,
          [make_learner](const Recipe& r, const TrainerOptions&) -> std::unique_ptr<Trainer> {
            return std::make_unique<OfflineTrainer>(r, make_learner);
          },
          make_learner};
}

}  // namespace rlarena
