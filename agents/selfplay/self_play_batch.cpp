#include "agents/selfplay/self_play_batch.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/error.h"
#include "envs/multi/multi_registry.h"

namespace rlarena {

std::vector<KeySpec> SelfPlayBatch::keys() {
  return {{"self_play", "true", "play the learner against snapshots of itself (two-player envs)"},
          {"snapshot_every", "50000", "env steps between snapshots of the learner added to the opponent pool"},
          {"pool_size", "20", "opponents are drawn from the first snapshot and the newest pool_size - 1"},
          {"opponent_sampling", "uniform", "uniform, or hard: weighted by (1 - score)^2 against each snapshot"},
          {"eval_opponent", "random", "the scripted player evaluations play against (random, or the env's own)"},
          {"scripted_opponents", "", "scripted players mixed into the training opponents, comma-separated (random, "
                                     "or the env's own)"},
          {"scripted_share", "0", "share of training games against scripted_opponents (the rest: snapshots)"}};
}

SelfPlayBatch::SelfPlayBatch(const Recipe& r, int64_t num_envs, uint64_t seed, bool evaluation)
    : recipe_(r),
      evaluation_(evaluation),
      eval_opponent_(r.text("eval_opponent")),
      snapshot_every_(r.integer("snapshot_every", 0)),
      pool_limit_(r.integer("pool_size", 1)),
      scripted_share_(r.number_in("scripted_share", 0, 1)),
      seed_(seed),
      rng_(seed ^ 0x5e1f91a7ULL) {
  const std::string& sampling = r.text("opponent_sampling");
  if (sampling != "uniform" && sampling != "hard")
    throw Error("opponent_sampling = " + sampling + " is not known; give uniform or hard");
  hard_sampling_ = sampling == "hard";
  for (int64_t i = 0; i < num_envs; ++i) envs_.push_back(make_multi(r.text("env"), r.kwargs()));
  const MultiAgentEnv& e = *envs_.front();
  if (e.num_agents() != 2)
    throw Error(e.id() + " has " + std::to_string(e.num_agents()) + " agents; self-play needs a two-player env");
  if (e.observation_space(0) != e.observation_space(1) || e.action_space(0) != e.action_space(1))
    throw Error(e.id() + ": its two seats observe or act differently; self-play needs symmetric seats");
  if (e.observation_space(0).dtype() != DType::Float32)
    throw Error(e.id() + ": self-play needs float32 observations");
  const std::vector<std::string> own = e.scripted_players();
  const auto check_scripted = [&](const std::string& key, const std::string& name) {
    if (name == "random" || std::find(own.begin(), own.end(), name) != own.end()) return;
    std::string list = "random";
    for (const auto& p : own) list += ", " + p;
    throw Error(key + " = " + name + " is not a scripted player of " + e.id() + "; give " + list);
  };
  check_scripted("eval_opponent", eval_opponent_);
  const std::string& scripted = r.text("scripted_opponents");
  for (size_t at = 0; !scripted.empty() && at <= scripted.size();) {
    const size_t comma = std::min(scripted.find(',', at), scripted.size());
    scripted_.push_back(scripted.substr(at, comma - at));
    check_scripted("scripted_opponents", scripted_.back());
    at = comma + 1;
  }
  if (scripted_share_ > 0 && scripted_.empty())
    throw Error("scripted_share = " + r.text("scripted_share") + " needs scripted_opponents (e.g. random)");
  const int64_t n = rows();
  buf_.allocate(n, observation_space().byte_size(), 0);
  view_ = buf_.view(n);
  if (e.turn_based() && action_space().kind() == Space::Kind::Discrete) {
    masks_.assign(n * action_space().n(), 0);
    view_.action_mask = masks_.data();
    view_.mask_width = action_space().n();
  }
  for (int64_t i = 0; i < n; ++i) buf_.env_ids[i] = i;
  run_return_.assign(n, 0);
  run_length_.assign(n, 0);
  rewards_.assign(2, 0);
  term_.assign(2, 0);
  trunc_.assign(2, 0);
  opponent_.assign(n, -1);
  for (int s = 0; s < 2; ++s) {
    obs_[s].assign(n, std::vector<uint8_t>(observation_space().byte_size()));
    act_[s].assign(n, std::vector<uint8_t>(action_space().byte_size()));
  }
}

void SelfPlayBatch::attach(Learner& learner, LearnerMaker make) {
  learner_ = &learner;
  make_ = std::move(make);
  if (pool_.empty()) {
    take_snapshot();  // the learner as it starts is the first opponent
    next_snapshot_ = snapshot_every_;
  }
}

void SelfPlayBatch::take_snapshot() {
  StateMap state;
  learner_->save(state);
  Snapshot s;
  s.policy = make_(recipe_, observation_space(), action_space());
  s.policy->load(state);
  s.step = env_steps_;
  pool_.push_back(std::move(s));
  records_.emplace_back();
}

int SelfPlayBatch::pick_opponent() {
  if (pool_.empty()) throw Error("self-play: no opponent in the pool; attach the learner first");
  if (scripted_share_ > 0 && rng_.uniform() < scripted_share_)
    return -2 - static_cast<int>(rng_.below(scripted_.size()));
  // The first snapshot and the newest pool_size - 1.
  std::vector<int> window = {0};
  for (int64_t k = std::max<int64_t>(1, pool_size() - (pool_limit_ - 1)); k < pool_size(); ++k)
    window.push_back(static_cast<int>(k));
  if (!hard_sampling_) return window[rng_.below(window.size())];
  std::vector<double> weight;
  double total = 0;
  for (int k : window) {
    const Record& r = records_[k];
    const double score = (r.wins + 0.5 * r.draws + 1) / (r.wins + r.draws + r.losses + 2);  // one win, one loss prior
    weight.push_back((1 - score) * (1 - score));
    total += weight.back();
  }
  double u = rng_.uniform() * total;
  for (size_t j = 0; j < window.size(); ++j) {
    if (u < weight[j]) return window[j];
    u -= weight[j];
  }
  return window.back();
}

void SelfPlayBatch::begin_episode(int64_t env) {
  opponent_[env] = evaluation_ ? -1 : pick_opponent();
  run_return_[env] = 0;
  run_length_[env] = 0;
}

void SelfPlayBatch::opponents_act(const std::vector<int64_t>& envs) {
  if (envs.empty()) return;
  const size_t ob = observation_space().byte_size(), ab = action_space().byte_size();
  // Scripted opponents one by one; snapshots in one call per snapshot.
  std::vector<std::vector<int64_t>> by_snapshot(pool_.size());
  for (int64_t env : envs) {
    const int seat = 1 - learner_seat(env);
    if (opponent_[env] >= 0) {
      by_snapshot[opponent_[env]].push_back(env);
      continue;
    }
    MultiAgentEnv& e = *envs_[env];
    void* action = act_[seat][env].data();
    const std::string& name = opponent_[env] == -1 ? eval_opponent_ : scripted_[-2 - opponent_[env]];
    if (name != "random") {
      e.scripted_action(name, seat, rng_, action);
    } else if (action_space().kind() == Space::Kind::Discrete) {
      const std::vector<uint8_t> mask = e.action_mask(seat);
      std::vector<int64_t> legal;
      for (size_t a = 0; a < mask.size(); ++a)
        if (mask[a]) legal.push_back(static_cast<int64_t>(a) + action_space().start());
      *static_cast<int64_t*>(action) = legal.empty() ? action_space().start() : legal[rng_.below(legal.size())];
    } else {
      action_space().sample(rng_, action);
    }
  }
  for (size_t k = 0; k < by_snapshot.size(); ++k) {
    const std::vector<int64_t>& group = by_snapshot[k];
    if (group.empty()) continue;
    scratch_obs_.resize(group.size() * ob);
    scratch_act_.resize(group.size() * ab);
    for (size_t j = 0; j < group.size(); ++j)
      std::memcpy(scratch_obs_.data() + j * ob, obs_[1 - learner_seat(group[j])][group[j]].data(), ob);
    PolicyInput input;
    input.obs = scratch_obs_.data();
    input.n = static_cast<int64_t>(group.size());
    if (!masks_.empty()) {
      const int64_t width = view_.mask_width;
      scratch_mask_.resize(group.size() * width);
      for (size_t j = 0; j < group.size(); ++j)
        envs_[group[j]]->action_mask(1 - learner_seat(group[j]), scratch_mask_.data() + j * width);
      input.action_mask = scratch_mask_.data();
    }
    pool_[k].policy->act(input, Acting::Stochastic, scratch_act_.data());
    for (size_t j = 0; j < group.size(); ++j)
      std::memcpy(act_[1 - learner_seat(group[j])][group[j]].data(), scratch_act_.data() + j * ab, ab);
  }
}

// Whether `seat`'s action in env `env` is illegal now (turn-based games only).
static bool illegal(const MultiAgentEnv& e, int seat, const std::vector<uint8_t>& action) {
  if (!e.turn_based() || e.action_space(seat).kind() != Space::Kind::Discrete) return false;
  int64_t a = 0;
  std::memcpy(&a, action.data(), sizeof a);
  a -= e.action_space(seat).start();
  if (a < 0 || a >= e.action_space(seat).n()) return true;
  return !e.action_mask(seat)[a];
}

void SelfPlayBatch::advance(int64_t env, const void* const* actions) {
  MultiAgentEnv& e = *envs_[env];
  void* obs[2] = {obs_[0][env].data(), obs_[1][env].data()};
  e.step_into(actions, obs, rewards_.data(), term_.data(), trunc_.data());
  const int seat = learner_seat(env);
  buf_.reward[env] += rewards_[seat];
  buf_.terminated[env] = term_[seat];
  buf_.truncated[env] = trunc_[seat];
}

void SelfPlayBatch::play_openings(const std::vector<int64_t>& envs) {
  opponents_act(envs);
  for (int64_t i : envs) {
    const int seat = 1 - learner_seat(i);
    const void* acts[2] = {act_[seat][i].data(), act_[seat][i].data()};
    // The row keeps this step's reward and flags (none at a reset), not the opening move's.
    const double reward = buf_.reward[i];
    const uint8_t t = buf_.terminated[i], tr = buf_.truncated[i];
    if (!illegal(*envs_[i], seat, act_[seat][i])) advance(i, acts);
    buf_.reward[i] = reward, buf_.terminated[i] = t, buf_.truncated[i] = tr;
  }
}

void SelfPlayBatch::write_row(int64_t env, uint8_t* out) const {
  std::memcpy(out, obs_[learner_seat(env)][env].data(), observation_space().byte_size());
}

void SelfPlayBatch::write_current(int64_t env) {
  write_row(env, buf_.obs_row(env));
  if (!masks_.empty()) envs_[env]->action_mask(learner_seat(env), masks_.data() + env * view_.mask_width);
}

void SelfPlayBatch::finish(int64_t env) {
  // The result from the learner's side: a forfeit, or the sign of the last reward of
  // a terminated game (wins and losses pay +-1 there); a cut-off game is a draw.
  if (opponent_[env] >= 0) {
    Record& r = records_[opponent_[env]];
    const double last = buf_.reward[env];
    if (buf_.terminated[env] && last > 0) r.wins += 1;
    else if (buf_.terminated[env] && last < 0) r.losses += 1;
    else r.draws += 1;
  }
  write_row(env, buf_.final_obs_row(env));
}

const Batch& SelfPlayBatch::reset(std::optional<uint64_t> seed) {
  if (seed) seed_ = *seed;
  const bool reseed = seed || !seeded_once_;
  seeded_once_ = true;
  std::vector<int64_t> opening;
  for (int64_t i = 0; i < rows(); ++i) {
    void* obs[2] = {obs_[0][i].data(), obs_[1][i].data()};
    envs_[i]->reset_into(reseed ? std::optional<uint64_t>(seed_ + static_cast<uint64_t>(i)) : std::nullopt, obs);
    begin_episode(i);
    buf_.reward[i] = 0;
    buf_.terminated[i] = buf_.truncated[i] = 0;
    buf_.episode_return[i] = 0;
    buf_.episode_length[i] = 0;
    if (envs_[i]->turn_based() && envs_[i]->current_player() != learner_seat(i)) opening.push_back(i);
  }
  play_openings(opening);
  for (int64_t i = 0; i < rows(); ++i) write_current(i);
  return view_;
}

const Batch& SelfPlayBatch::step(const void* actions) {
  const size_t ab = action_space().byte_size();
  const int64_t n = rows();
  const auto* learner_actions = static_cast<const uint8_t*>(actions);
  std::vector<int64_t> all, replies;
  for (int64_t i = 0; i < n; ++i) {
    std::memcpy(act_[learner_seat(i)][i].data(), learner_actions + i * ab, ab);
    buf_.reward[i] = 0;
    buf_.terminated[i] = buf_.truncated[i] = 0;
    all.push_back(i);
  }
  const bool turn_based = envs_.front()->turn_based();
  if (!turn_based) opponents_act(all);
  for (int64_t i = 0; i < n; ++i) {
    const int seat = learner_seat(i);
    if (turn_based && illegal(*envs_[i], seat, act_[seat][i])) {
      buf_.reward[i] = -1;  // the learner forfeits
      buf_.terminated[i] = 1;
      ++learner_forfeits_;
      continue;
    }
    const void* acts[2] = {act_[0][i].data(), act_[1][i].data()};
    if (turn_based) acts[1 - seat] = acts[seat];  // only the mover's is read
    advance(i, acts);
    if (turn_based && !envs_[i]->episode_over()) replies.push_back(i);
  }
  opponents_act(replies);
  for (int64_t i : replies) {
    const int seat = 1 - learner_seat(i);
    if (illegal(*envs_[i], seat, act_[seat][i])) {
      buf_.reward[i] += 1;  // the opponent forfeits
      buf_.terminated[i] = 1;
      continue;
    }
    const void* acts[2] = {act_[seat][i].data(), act_[seat][i].data()};
    advance(i, acts);
  }
  std::vector<int64_t> opening;
  for (int64_t i = 0; i < n; ++i) {
    buf_.episode_return[i] = run_return_[i] += buf_.reward[i];
    buf_.episode_length[i] = ++run_length_[i];
    if (!(buf_.terminated[i] || buf_.truncated[i])) {
      write_current(i);
      continue;
    }
    finish(i);
    void* obs[2] = {obs_[0][i].data(), obs_[1][i].data()};
    envs_[i]->reset_into(std::nullopt, obs);
    begin_episode(i);
    if (envs_[i]->turn_based() && envs_[i]->current_player() != learner_seat(i)) opening.push_back(i);
  }
  play_openings(opening);
  for (int64_t i = 0; i < n; ++i)
    if (buf_.terminated[i] || buf_.truncated[i]) write_current(i);
  env_steps_ += n;
  if (!evaluation_ && learner_ && snapshot_every_ > 0 && env_steps_ >= next_snapshot_) {
    take_snapshot();
    next_snapshot_ += snapshot_every_;
  }
  return view_;
}

void SelfPlayBatch::record_episodes(bool on) {
  for (auto& e : envs_) e->record_episodes(on);
}

void SelfPlayBatch::save_state(StateMap& out, const std::string& p) const {
  put_state(out, p + "seeded_once", static_cast<uint8_t>(seeded_once_));
  put_state(out, p + "env_steps", env_steps_);
  put_state(out, p + "next_snapshot", next_snapshot_);
  put_state(out, p + "rng", rng_.state());
  put_state(out, p + "opponent", opponent_);
  put_state(out, p + "run_return", run_return_);
  put_state(out, p + "run_length", run_length_);
  std::vector<double> records;
  std::vector<int64_t> steps;
  for (size_t k = 0; k < pool_.size(); ++k) {
    records.insert(records.end(), {records_[k].wins, records_[k].draws, records_[k].losses});
    steps.push_back(pool_[k].step);
    StateMap snapshot;
    pool_[k].policy->save(snapshot);  // with its generator as it is now
    for (auto& [key, bytes] : snapshot) out[p + "pool_" + std::to_string(k) + "/" + key] = bytes;
  }
  put_state(out, p + "records", records);
  put_state(out, p + "pool_steps", steps);
  for (size_t i = 0; i < envs_.size(); ++i) {
    put_state(out, p + "env_rng_" + std::to_string(i), envs_[i]->episode_log().rng);
    put_state(out, p + "env_actions_" + std::to_string(i), envs_[i]->episode_log().actions);
  }
}

const Batch& SelfPlayBatch::load_state(const StateMap& in, const std::string& p) {
  seeded_once_ = get_state_value<uint8_t>(in, p + "seeded_once") != 0;
  env_steps_ = get_state_value<int64_t>(in, p + "env_steps");
  next_snapshot_ = get_state_value<int64_t>(in, p + "next_snapshot");
  rng_.set_state(get_state_value<Rng::State>(in, p + "rng"));
  get_state_sized(in, p + "opponent", opponent_);
  get_state_sized(in, p + "run_return", run_return_);
  get_state_sized(in, p + "run_length", run_length_);
  std::vector<double> records;
  std::vector<int64_t> steps;
  get_state(in, p + "records", records);
  get_state(in, p + "pool_steps", steps);
  if (records.size() != 3 * steps.size()) throw Error("checkpoint: the self-play pool's records do not fit its snapshots");
  pool_.clear();
  records_.clear();
  for (size_t k = 0; k < steps.size(); ++k) {
    const std::string prefix = p + "pool_" + std::to_string(k) + "/";
    StateMap snapshot;
    for (auto it = in.lower_bound(prefix); it != in.end() && it->first.rfind(prefix, 0) == 0; ++it)
      snapshot[it->first.substr(prefix.size())] = it->second;
    Snapshot s;
    s.policy = make_(recipe_, observation_space(), action_space());
    s.policy->load(snapshot);
    s.step = steps[k];
    pool_.push_back(std::move(s));
    records_.push_back({records[3 * k], records[3 * k + 1], records[3 * k + 2]});
  }
  for (int64_t i = 0; i < rows(); ++i) {
    MultiAgentEnv::EpisodeLog log;
    log.rng = get_state_value<Rng::State>(in, p + "env_rng_" + std::to_string(i));
    get_state(in, p + "env_actions_" + std::to_string(i), log.actions);
    envs_[i]->replay(log);
    void* obs[2] = {obs_[0][i].data(), obs_[1][i].data()};
    envs_[i]->observe_into(obs);
    buf_.reward[i] = 0;
    buf_.terminated[i] = buf_.truncated[i] = 0;
    buf_.episode_return[i] = run_return_[i];
    buf_.episode_length[i] = run_length_[i];
    write_current(i);
  }
  return view_;
}

}  // namespace rlarena
