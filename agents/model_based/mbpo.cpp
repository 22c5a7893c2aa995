#include "agents/model_based/mbpo.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>

#include "agents/algorithms.h"
#include "common/error.h"

namespace rlarena {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::unique_ptr<Learner> make_sac(const Recipe& r, const Space& obs, const Space& act) {
  return std::make_unique<SacLearner>(r, obs, act);
}

SamplerOptions real_sampling(const Recipe& r) {
  SamplerOptions s;
  s.seed = static_cast<uint64_t>(r.integer("seed")) + 1;
  return s;
}

}  // namespace

std::vector<KeySpec> MbpoTrainer::keys() {
  return {{"model_train_every", "250", "env steps between trainings of the model (and rollouts into the model store)"},
          {"model_rollouts", "400", "model rollouts per env step, all started at each training"},
          {"rollout_schedule", "20,150,1,15",
           "rollout length over the run: first epoch, last epoch, shortest, longest (MBPO's Hopper)"},
          {"epoch_length", "1000", "env steps per epoch of rollout_schedule"},
          {"model_retain_epochs", "1", "epochs of rollouts the model store keeps"},
          {"real_ratio", "0.05", "share of real transitions in each SAC minibatch"},
          {"updates_per_step", "20", "SAC gradient steps per env step (MBPO's G)"}};
}

MbpoTrainer::MbpoTrainer(const Recipe& r, const TrainerOptions& options)
    : OffPolicyTrainer(r, options, make_sac, real_sampling(r)),
      sac_(static_cast<SacLearner&>(*learner_)),
      model_(r, source_.observation_space(), source_.action_space()),
      retrain_{r.integer("model_train_every", 1)},
      rollouts_per_step_(r.integer("model_rollouts", 1)),
      updates_per_step_(r.integer("updates_per_step", 1)),
      epoch_length_(r.integer("epoch_length", 1)),
      retain_epochs_(r.integer("model_retain_epochs", 1)),
      real_ratio_(r.number_in("real_ratio", 0, 1)),
      model_rng_(static_cast<uint64_t>(r.integer("seed")) ^ 0x3b90ULL) {
  std::vector<int64_t> s;
  std::stringstream text(r.text("rollout_schedule"));
  for (std::string item; std::getline(text, item, ',');) {
    char* end = nullptr;
    const long long v = std::strtoll(item.c_str(), &end, 10);
    s.push_back(end && *end == '\0' && !item.empty() ? v : -1);
  }
  if (s.size() != 4 || s[0] < 0 || s[1] < s[0] || s[2] < 1 || s[3] < s[2])
    throw Error("rollout_schedule = " + r.text("rollout_schedule") +
                " is not first epoch, last epoch, shortest, longest; give e.g. 20,150,1,15 "
                "(epochs in order, lengths at least 1 and in order)");
  for (int i = 0; i < 4; ++i) schedule_[i] = static_cast<double>(s[i]);
  // Room for model_retain_epochs epochs of rollouts at the longest length this run reaches.
  const int64_t capacity =
      rollouts_per_step_ * epoch_length_ * retain_epochs_ * rollout_length(total_steps_) + batch_;
  model_store_ = std::make_unique<ReplayStore>(source_.observation_space(), source_.action_space(), capacity);
  SamplerOptions starts, model;
  starts.seed = static_cast<uint64_t>(r.integer("seed")) ^ 0x57a7ULL;
  model.seed = static_cast<uint64_t>(r.integer("seed")) ^ 0x30deULL;
  starts_ = std::make_unique<StoreSampler>(source_.store(), starts, "mbpo/starts");
  model_sampler_ = std::make_unique<StoreSampler>(*model_store_, model, "mbpo/model_sampler");
  mixed_ = std::make_unique<MixedSource>(*sampler_, *model_sampler_, real_ratio_);
}

std::vector<std::string> MbpoTrainer::loss_names() {
  std::vector<std::string> names = sac_.loss_names();
  names.push_back("model_holdout_mse");
  names.push_back("model_epochs");
  names.push_back("rollout_length");
  names.push_back("model_rows");
  return names;
}

Losses MbpoTrainer::model_losses(double holdout_mse, double epochs, double length) const {
  Losses l(sac_.loss_names().size(), kNaN);
  l.push_back(holdout_mse);
  l.push_back(epochs);
  l.push_back(length);
  l.push_back(static_cast<double>(model_store_->closed()));
  return l;
}

int64_t MbpoTrainer::rollout_length(int64_t step) const {
  const double epoch = static_cast<double>(step / epoch_length_);
  const double first = schedule_[0], last = schedule_[1], shortest = schedule_[2], longest = schedule_[3];
  if (last <= first) return static_cast<int64_t>(epoch >= last ? longest : shortest);
  const double t = std::clamp((epoch - first) / (last - first), 0.0, 1.0);
  return static_cast<int64_t>(shortest + t * (longest - shortest));
}

int64_t MbpoTrainer::roll_out(const torch::Tensor& starts, int64_t length) {
  torch::NoGradGuard no_grad;
  const std::vector<int64_t>& elites = model_.ensemble().elites();
  const int64_t obs_dim = starts.size(1);
  torch::Tensor obs = starts.contiguous();
  int64_t written = 0;
  for (int64_t k = 0; k < length && obs.size(0) > 0; ++k) {
    const int64_t n = obs.size(0);
    const torch::Tensor actions = sac_.policy(obs, Acting::Stochastic).first.contiguous();
    std::vector<int64_t> members(n);
    for (auto& m : members) m = elites[model_rng_.below(elites.size())];
    const DynamicsModel::Step s = model_.step(obs, actions, members, model_rng_);
    // A row the model sent out of the numbers is dropped, not stored.
    const torch::Tensor finite = torch::isfinite(s.next_obs).all(1).logical_and(torch::isfinite(s.reward));
    const torch::Tensor keep = finite.nonzero().squeeze(1);
    const torch::Tensor o = obs.index_select(0, keep).contiguous(), a = actions.index_select(0, keep).contiguous();
    const torch::Tensor next = s.next_obs.index_select(0, keep).contiguous();
    const torch::Tensor reward = s.reward.index_select(0, keep).contiguous();
    const torch::Tensor terminal = s.terminal.index_select(0, keep).contiguous();
    const int64_t m = keep.size(0);
    std::vector<int64_t> ids(m);
    for (auto& id : ids) id = next_episode_++;
    // Each model step is a one-step episode with its next observation kept: the
    // rollout's last step need not be marked, and SAC bootstraps wherever it is not terminal.
    const int64_t first = model_store_->open_rows(m, o.data_ptr<float>(), ids.data());
    const float* a_ptr = a.data_ptr<float>();
    const float* next_ptr = next.data_ptr<float>();
    const float* r_ptr = reward.data_ptr<float>();
    const bool* t_ptr = terminal.data_ptr<bool>();
    const int64_t act_dim = a.size(1), capacity = model_store_->capacity();
    for (int64_t i = 0; i < m; ++i)
      model_store_->close_row((first + i) % capacity, a_ptr + i * act_dim, r_ptr[i], t_ptr[i], !t_ptr[i], -1,
                              next_ptr + i * obs_dim);
    written += m;
    obs = next.index_select(0, terminal.logical_not().nonzero().squeeze(1));
  }
  return written;
}

void MbpoTrainer::learn(LossMeans& losses) {
  if (retrain_.due(global_step())) {
    const ProbabilisticEnsemble::FitReport fit = model_.fit(all_transitions(source_.store()), model_rng_);
    const double mse = model_.elite_holdout_mse(fit);
    const int64_t length = rollout_length(global_step());
    // Never more rows than the model store holds: the rest would overwrite each other.
    const int64_t starts = std::min(rollouts_per_step_ * retrain_.every, model_store_->capacity() / length);
    roll_out(starts_->sample(starts, progress()).obs, length);
    losses.add(model_losses(mse, static_cast<double>(fit.epochs), static_cast<double>(length)));
  }
  const size_t columns = loss_names().size();  // once per env step, not per update
  for (int64_t g = 0; g < updates_per_step_; ++g) {
    Losses l = sac_.update(mixed_->sample(batch_, progress()));
    l.resize(columns, kNaN);
    losses.add(l);
  }
}

void MbpoTrainer::declare(Parts& parts) {
  OffPolicyTrainer::declare(parts);
  model_.declare(parts, "mbpo/model/");
  parts.object("mbpo/model_store/", *model_store_);
  starts_->declare(parts);
  model_sampler_->declare(parts);
  parts.rng("mbpo/model_rng", model_rng_)
      .value("mbpo/last_training", retrain_.last)
      .value("mbpo/next_episode", next_episode_);
}

namespace mbpo {

Algorithm algorithm() {
  std::vector<KeySpec> keys = run_keys("mbpo", "Hopper-v5", 30000, 1);
  for (auto& k : OffPolicyTrainer::keys()) keys.push_back(k);
  set_default(keys, "learning_starts", "5000");
  for (auto& k : SacLearner::keys()) keys.push_back(k);
  for (auto& k : MbpoTrainer::keys()) keys.push_back(k);
  for (auto& k : DynamicsModel::keys()) keys.push_back(k);
  return {"mbpo", "MBPO: SAC on short branched rollouts of a probabilistic ensemble, Box actions", keys,
          [](const Recipe& r, const TrainerOptions& o) -> std::unique_ptr<Trainer> {
            return std::make_unique<MbpoTrainer>(r, o);
          },
          make_sac};
}

}  // namespace mbpo

}  // namespace rlarena
