#include "agents/multi/independent.h"

#include <cstring>

#include "common/error.h"

namespace rlarena {

IndependentLearners::IndependentLearners(const Recipe& r, const Space& observations, const Space& actions, int agents,
                                         int64_t actor_inputs)
    : OnPolicyLearner(r, observations, actions) {
  if (agents < 1) throw Error("independent learners need at least one agent");
  // Agent k's learner from seed + k: its own initial networks and sampling stream.
  for (int k = 0; k < agents; ++k)
    learners_.push_back(std::make_unique<PpoLearner>(r, observations, actions, actor_inputs, static_cast<uint64_t>(k)));
}

torch::Tensor IndependentLearners::rows_of(int k, int64_t rows) const {
  return torch::arange(k, rows, static_cast<int64_t>(learners_.size()), torch::kInt64);
}


torch::Tensor IndependentLearners::observe(const void* obs, int64_t rows, Statistics statistics) {
  const torch::Tensor raw =
      torch::from_blob(const_cast<void*>(obs), {rows, obs_dim_}, torch::kFloat32);
  torch::Tensor out = torch::empty({rows, obs_dim_});
  for (size_t k = 0; k < learners_.size(); ++k) {
    const torch::Tensor idx = rows_of(static_cast<int>(k), rows);
    const torch::Tensor mine = raw.index_select(0, idx).contiguous();
    out.index_copy_(0, idx, learners_[k]->observe(mine.data_ptr(), mine.size(0), statistics));
  }
  return out;
}

std::pair<torch::Tensor, torch::Tensor> IndependentLearners::sample(const torch::Tensor& obs, const torch::Tensor& mask) {
  torch::Tensor actions, log_probs = torch::empty({obs.size(0)});
  for (size_t k = 0; k < learners_.size(); ++k) {
    const torch::Tensor idx = rows_of(static_cast<int>(k), obs.size(0));
    auto [a, lp] = learners_[k]->sample(obs.index_select(0, idx), mask.defined() ? mask.index_select(0, idx) : mask);
    if (!actions.defined()) {
      std::vector<int64_t> shape = a.sizes().vec();
      shape[0] = obs.size(0);
      actions = torch::empty(shape, a.options());
    }
    actions.index_copy_(0, idx, a);
    log_probs.index_copy_(0, idx, lp);
  }
  return {actions, log_probs};
}

torch::Tensor IndependentLearners::value(const torch::Tensor& obs) {
  // Rows may come as [T, N, obs] (a rollout's final observations): agent = flat row % agents.
  const torch::Tensor flat = obs.reshape({-1, obs.size(-1)});
  torch::Tensor out = torch::empty({flat.size(0)});
  for (size_t k = 0; k < learners_.size(); ++k) {
    const torch::Tensor idx = rows_of(static_cast<int>(k), flat.size(0));
    out.index_copy_(0, idx, learners_[k]->value(flat.index_select(0, idx)));
  }
  std::vector<int64_t> shape = obs.sizes().vec();
  shape.pop_back();
  return out.view(shape);
}

Losses IndependentLearners::update(const Minibatch& batch) {
  LossMeans means(loss_names().size());
  for (size_t k = 0; k < learners_.size(); ++k)
    means.add(learners_[k]->update(batch.rows(rows_of(static_cast<int>(k), batch.size()))));
  return means.means();
}

Losses IndependentLearners::learn(const Minibatch& rollout, double remaining) {
  LossMeans means(loss_names().size());
  for (size_t k = 0; k < learners_.size(); ++k)
    means.add(learners_[k]->learn(rollout.rows(rows_of(static_cast<int>(k), rollout.size())), remaining));
  return means.means();
}

void IndependentLearners::act_within(const torch::Tensor& obs, const torch::Tensor& mask, Acting acting,
                                     void* actions) {
  const int64_t rows = obs.size(0);
  const size_t bytes = act_space_.byte_size();
  auto* out = static_cast<uint8_t*>(actions);
  std::vector<uint8_t> mine;
  for (size_t k = 0; k < learners_.size(); ++k) {
    const torch::Tensor idx = rows_of(static_cast<int>(k), rows);
    const torch::Tensor part = obs.index_select(0, idx).contiguous();
    mine.resize(part.size(0) * bytes);
    learners_[k]->act_within(part, mask.defined() ? mask.index_select(0, idx) : mask, acting, mine.data());
    const int64_t* rows_k = idx.data_ptr<int64_t>();
    for (int64_t j = 0; j < part.size(0); ++j) std::memcpy(out + rows_k[j] * bytes, mine.data() + j * bytes, bytes);
  }
}

void IndependentLearners::declare(Parts& parts) {
  // Each agent's learner under its own prefix.
  for (size_t k = 0; k < learners_.size(); ++k) {
    const std::string prefix = "agent_" + std::to_string(k) + "/";
    PpoLearner* learner = learners_[k].get();
    parts.custom(
        prefix,
        [learner, prefix](StateMap& s) {
          StateMap own;
          learner->save(own);
          for (auto& [key, bytes] : own) s[prefix + key] = bytes;
        },
        [learner, prefix](const StateMap& s) {
          StateMap own;
          for (auto it = s.lower_bound(prefix); it != s.end() && it->first.rfind(prefix, 0) == 0; ++it)
            own[it->first.substr(prefix.size())] = it->second;
          learner->load(own);
        });
  }
}

}  // namespace rlarena
