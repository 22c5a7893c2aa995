// IndependentLearners: independent PPO without shared parameters: one PpoLearner
// (networks, optimizer, normalizer, generator) per agent of a multi-agent env, each
// acting on and learning from its own agent's rows (row r of a rollout is agent
// r % agents, as the multi-agent VecEnv lays them out). ippo with shared_policy = false.
#pragma once
#include <memory>
#include <vector>

#include "agents/ppo/ppo.h"

namespace rlarena {

class IndependentLearners final : public OnPolicyLearner {
 public:
  // `actor_inputs` as PpoLearner's (a centralized critic for each agent's learner).
  IndependentLearners(const Recipe& recipe, const Space& observations, const Space& actions, int agents,
                      int64_t actor_inputs = 0);

  std::vector<std::string> loss_names() const override { return learners_.front()->loss_names(); }
  Losses update(const Minibatch& batch) override;
  Losses learn(const Minibatch& rollout, double remaining) override;
  torch::Tensor observe(const void* obs, int64_t rows, Statistics statistics) override;
  std::pair<torch::Tensor, torch::Tensor> sample(const torch::Tensor& obs, const torch::Tensor& mask = {}) override;
  torch::Tensor value(const torch::Tensor& obs) override;
  void act_within(const torch::Tensor& obs, const torch::Tensor& mask, Acting acting, void* actions) override;
  void declare(Parts& parts) override;

 protected:
  torch::optim::Optimizer& optimizer() override { return learners_.front()->optimizer(); }

 private:
  // The rows of agent k among `rows` rows: k, k + agents, ...
  torch::Tensor rows_of(int k, int64_t rows) const;

  std::vector<std::unique_ptr<PpoLearner>> learners_;
};

}  // namespace rlarena
