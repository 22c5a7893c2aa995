#include "agents/selfplay/selfplay.h"

#include "agents/data/env_batches.h"
#include "agents/onpolicy/trainer.h"
#include "agents/ppo/ppo.h"
#include "agents/selfplay/self_play_batch.h"
#include "common/error.h"

namespace rlarena {
namespace selfplay {

namespace {

std::unique_ptr<EnvBatch> make_batch(const Recipe& r, const EnvBatchOptions& o) {
  return std::make_unique<SelfPlayBatch>(r, o.num_envs, o.seed, o.evaluation);
}

std::unique_ptr<Learner> make_learner(const Recipe& r, const Space& obs, const Space& act) {
  return std::make_unique<PpoLearner>(r, obs, act);
}

}  // namespace

Algorithm algorithm() {
  set_self_play_factory(&make_batch);
  std::vector<KeySpec> keys = run_keys("selfplay", "Sumo-v0", 1000000, 16);
  for (auto& k : OnPolicyRollout::keys()) keys.push_back(k);
  for (auto& k : PpoLearner::keys()) keys.push_back(k);
  for (auto& k : SelfPlayBatch::keys()) keys.push_back(k);
  const auto make = [](const Recipe& r, const Space& obs, const Space& act) {
    return std::make_unique<PpoLearner>(r, obs, act);
  };
  return {"selfplay", "PPO against a pool of its own snapshots in two-player envs (Sumo-v0, ConnectFour-v0)", keys,
          [make](const Recipe& r, const TrainerOptions& o) -> std::unique_ptr<Trainer> {
            return std::make_unique<OnPolicyTrainer>(r, o, make, [](EnvBatch& batch, OnPolicyLearner& learner) {
              auto* games = dynamic_cast<SelfPlayBatch*>(&batch);
              if (!games) throw Error("selfplay trains on two-player multi-agent envs (Sumo-v0, ConnectFour-v0)");
              games->attach(learner, make_learner);
            });
          },
          [make](const Recipe& r, const Space& obs, const Space& act) -> std::unique_ptr<Learner> {
            return make(r, obs, act);
          }};
}

}  // namespace selfplay
}  // namespace rlarena
