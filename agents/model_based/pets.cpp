#include "agents/model_based/pets.h"

#include <algorithm>
#include <numeric>

#include "agents/algorithms.h"
#include "agents/common/optim.h"
#include "agents/data/minibatch_source.h"
#include "common/error.h"

namespace rlarena {

std::vector<KeySpec> PetsLearner::keys() {
  std::vector<KeySpec> keys = {
      {"planning_horizon", "15", "steps each planned action sequence looks ahead"},
      {"particles", "20", "model trajectories per sequence (each keeps one ensemble member: TS-inf)"},
      {"cem_population", "500", "action sequences per CEM iteration"},
      {"cem_elites", "50", "best sequences the CEM Gaussian is refit to"},
      {"cem_iterations", "5", "CEM iterations per planned step"},
      {"cem_alpha", "0.1", "weight of the previous CEM mean and variance (smoothing)"},
      {"cem_initial_std", "0", "CEM's starting std of each action (0: a quarter of the action range, MBRL-Lib's)"},
      {"plan_action_cost", "0", "weight of each planned action's squared size, subtracted from a sequence's "
                                "value: ranks sequences that earn the same reward (keep it below "
                                "1 / (planning_horizon x largest squared action) so it never outweighs one step's reward)"},
      {"plan_state_cost", "", "one weight per observation: each planned state's squared observations times "
                              "these, summed while a particle lives, are subtracted from a sequence's value "
                              "(MPC's quadratic state cost: where the reward does not care, it keeps the "
                              "state near zero, e.g. InvertedPendulum's cart near the middle of its rail)"}};
  for (auto& k : DynamicsModel::keys()) keys.push_back(k);
  return keys;
}

PetsLearner::PetsLearner(const Recipe& r, const Space& observations, const Space& actions)
    : Learner(observations, actions),
      seeded_(seed_torch(static_cast<uint64_t>(r.integer("seed")))),
      model_(r, observations, actions),
      horizon_(r.integer("planning_horizon", 1)),
      particles_(r.integer("particles", 1)),
      action_cost_(r.number_in("plan_action_cost", 0, 1e6)),
      rng_{Rng(static_cast<uint64_t>(r.integer("seed")) ^ 0x9e75ULL),
           Rng(static_cast<uint64_t>(r.integer("seed")) ^ 0xe7a1ULL)} {
  cem_.population = r.integer("cem_population", 1);
  cem_.elites = r.integer("cem_elites", 1);
  cem_.iterations = r.integer("cem_iterations", 1);
  cem_.alpha = r.number_in("cem_alpha", 0, 1);
  cem_.initial_std = r.number_in("cem_initial_std", 0, 1e6);
  const std::vector<double> state_cost = r.numbers("plan_state_cost");
  if (!state_cost.empty()) {
    if (static_cast<int64_t>(state_cost.size()) != observations.numel())
      throw Error("plan_state_cost = " + r.text("plan_state_cost") + " has " + std::to_string(state_cost.size()) +
                  " weights but the observations " + observations.repr() + " have " +
                  std::to_string(observations.numel()) + "; give one weight per observation");
    for (double w : state_cost)
      if (w < 0) throw Error("plan_state_cost = " + r.text("plan_state_cost") + " has a negative weight; give weights >= 0");
    state_cost_ = torch::tensor(std::vector<float>(state_cost.begin(), state_cost.end()));
  }
  if (cem_.elites > cem_.population)
    throw Error("cem_elites = " + std::to_string(cem_.elites) + " is more than cem_population = " +
                std::to_string(cem_.population) + "; give at most cem_population");
  low_ = torch::tensor(std::vector<float>(actions.low().begin(), actions.low().end()));
  high_ = torch::tensor(std::vector<float>(actions.high().begin(), actions.high().end()));
  if (!torch::isfinite(low_).all().item<bool>() || !torch::isfinite(high_).all().item<bool>())
    throw Error("actions " + actions.repr() + ": PETS plans within finite action bounds");
}

Losses PetsLearner::update(const Minibatch& data) {
  const ProbabilisticEnsemble::FitReport fit = model_.fit(data, rng_[0]);
  ++trainings_;
  return {model_.elite_holdout_mse(fit), static_cast<double>(fit.epochs)};
}

torch::Tensor PetsLearner::sequence_values(const torch::Tensor& obs, const torch::Tensor& sequences, Rng& rng) {
  const int64_t p = sequences.size(0), k = particles_, rows = p * k;
  // TS-inf: each of the P * K particles keeps one elite member for the whole horizon,
  // the elites dealt out evenly in a random order (MBRL-Lib's fixed_model propagation).
  const std::vector<int64_t>& elites = model_.ensemble().elites();
  std::vector<int64_t> members(rows);
  const torch::Tensor order = permutation(rng, rows);
  const int64_t* o = order.data_ptr<int64_t>();
  for (int64_t i = 0; i < rows; ++i) members[o[i]] = elites[i % elites.size()];
  torch::Tensor state = obs.reshape({1, -1}).expand({rows, obs.numel()}).contiguous();
  torch::Tensor total = torch::zeros({rows}), alive = torch::ones({rows});
  for (int64_t h = 0; h < horizon_; ++h) {
    // Particle j of sequence i is row i * K + j.
    const torch::Tensor a = sequences.select(1, h).repeat_interleave(k, 0);
    const DynamicsModel::Step s = model_.step(state, a, members, rng);
    torch::Tensor reward = s.reward;
    if (state_cost_.defined()) reward = reward - (s.next_obs.pow(2) * state_cost_).sum(1);
    total += alive * reward;
    alive = alive * s.terminal.logical_not().to(torch::kFloat32);
    state = s.next_obs;
  }
  // A sequence whose particles left the numbers behind is worth nothing.
  torch::Tensor values = total.view({p, k}).mean(1);
  if (action_cost_ > 0) values = values - action_cost_ * sequences.pow(2).sum({1, 2});
  return torch::where(torch::isfinite(values), values, torch::full_like(values, -1e10));
}

torch::Tensor PetsLearner::middle_plan() const { return ((low_ + high_) / 2).expand({horizon_, low_.size(0)}); }

void PetsLearner::begin_episodes(const std::vector<uint8_t>& starts, Acting acting) {
  torch::Tensor& plans = plans_[slot(acting)];
  if (!plans.defined() || plans.size(0) != static_cast<int64_t>(starts.size())) return;  // act starts them all
  // Plans made under a trainer's InferenceMode are inference tensors: change them only inside one.
  c10::InferenceMode guard;
  const torch::Tensor middle = middle_plan();
  for (size_t i = 0; i < starts.size(); ++i)
    if (starts[i]) plans[static_cast<int64_t>(i)].copy_(middle);
}

void PetsLearner::act(const PolicyInput& input, Acting acting, void* actions) {
  if (input.envs) {
    std::vector<uint8_t> starts(input.n);
    for (int64_t i = 0; i < input.n; ++i) starts[i] = input.envs[i] && input.envs[i]->elapsed_steps() == 0;
    begin_episodes(starts, acting);
  }
  Learner::act(input, acting, actions);
}

void PetsLearner::act(const torch::Tensor& obs, Acting acting, void* actions) {
  c10::InferenceMode guard;
  const int mode = slot(acting);
  const int64_t n = obs.size(0), a_dim = low_.size(0);
  const torch::Tensor middle = middle_plan();
  torch::Tensor& plans = plans_[mode];
  if (!plans.defined() || plans.size(0) != n) plans = middle.unsqueeze(0).repeat({n, 1, 1}).contiguous();
  auto* out = static_cast<float*>(actions);
  for (int64_t i = 0; i < n; ++i) {
    const torch::Tensor o = obs[i];
    const auto values = [&](const torch::Tensor& seqs) { return sequence_values(o, seqs, rng_[mode]); };
    const torch::Tensor plan = cem_optimize(values, plans[i], low_, high_, cem_, rng_[mode]);
    for (int64_t d = 0; d < a_dim; ++d) out[i * a_dim + d] = plan[0][d].item<float>();
    // The rest of the plan, then the middle of the bounds: the next step's warm start.
    plans[i].copy_(torch::cat({plan.narrow(0, 1, horizon_ - 1), middle.narrow(0, 0, 1)}, 0));
  }
}

void PetsLearner::declare(Parts& parts) {
  model_.declare(parts, "model/");
  parts.rng("planner/rng", rng_[0]).rng("planner/eval_rng", rng_[1]);
  // The warm starts where there are any (none before the first planned step).
  parts.custom(
      "planner/plans",
      [this](StateMap& s) {
        for (int m = 0; m < 2; ++m) {
          if (!plans_[m].defined()) continue;
          const torch::Tensor p = plans_[m].contiguous();
          put_state(s, "planner/plans_" + std::to_string(m),
                    std::vector<float>(p.data_ptr<float>(), p.data_ptr<float>() + p.numel()));
        }
      },
      [this](const StateMap& s) {
        for (int m = 0; m < 2; ++m) {
          const std::string key = "planner/plans_" + std::to_string(m);
          plans_[m] = torch::Tensor();
          if (!s.count(key)) continue;
          std::vector<float> v;
          get_state(s, key, v);
          const int64_t per_row = horizon_ * low_.size(0);
          if (v.empty() || v.size() % per_row != 0)
            throw Error("checkpoint: '" + key + "' does not fit planning_horizon = " + std::to_string(horizon_));
          plans_[m] = torch::tensor(v).view({-1, horizon_, low_.size(0)}).clone();
        }
      });
  parts.value("model/trainings", trainings_);
}

std::vector<KeySpec> PetsTrainer::keys() {
  return {{"model_train_every", "250", "env steps between trainings of the model on every step so far"}};
}

namespace {

std::unique_ptr<Learner> make_pets(const Recipe& r, const Space& obs, const Space& act) {
  return std::make_unique<PetsLearner>(r, obs, act);
}

}  // namespace

PetsTrainer::PetsTrainer(const Recipe& r, const TrainerOptions& options)
    : OffPolicyTrainer(r, options, make_pets, SamplerOptions{}), retrain_{r.integer("model_train_every", 1)} {}

void PetsTrainer::choose_actions(const torch::Tensor& obs, void* actions, LossMeans& losses) {
  auto& pets = static_cast<PetsLearner&>(*learner_);
  if (pets.trained()) {
    // Rows that the last step ended begin their next episode with this observation.
    const Batch& last = source_.current();
    std::vector<uint8_t> starts(obs.size(0), 0);
    if (last.terminated && last.truncated)
      for (int64_t i = 0; i < obs.size(0); ++i) starts[i] = last.done(i);
    pets.begin_episodes(starts, Acting::Stochastic);
    pets.act(obs, Acting::Stochastic, actions);
    return;
  }
  (void)losses;
  random_actions(obs.size(0), actions);
}

void PetsTrainer::learn(LossMeans& losses) {
  if (!retrain_.due(global_step())) return;
  losses.add(learner_->update(all_transitions(source_.store())));
}

void PetsTrainer::declare(Parts& parts) {
  OffPolicyTrainer::declare(parts);
  parts.value("pets/last_training", retrain_.last);
}

namespace pets {

Algorithm algorithm() {
  std::vector<KeySpec> keys = run_keys("pets", "InvertedPendulum-v5", 5000, 1);
  for (auto& k : OffPolicyTrainer::keys()) keys.push_back(k);
  set_default(keys, "learning_starts", "200");
  set_default(keys, "log_every", "250");
  for (auto& k : PetsTrainer::keys()) keys.push_back(k);
  for (auto& k : PetsLearner::keys()) keys.push_back(k);
  return {"pets", "PETS: CEM planning through a probabilistic ensemble (trajectory sampling), Box actions", keys,
          [](const Recipe& r, const TrainerOptions& o) -> std::unique_ptr<Trainer> {
            return std::make_unique<PetsTrainer>(r, o);
          },
          make_pets};
}

}  // namespace pets

}  // namespace rlarena
