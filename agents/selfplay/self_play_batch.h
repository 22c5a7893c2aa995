// SelfPlayBatch: the learner's seat of N two-player games as the rows of an EnvBatch,
// the other seat played inside by opponents: snapshots of the learner itself (a pool
// that grows every snapshot_every env steps, sampled uniformly or weighted toward the
// snapshots the learner loses to, as prioritized fictitious self-play), or, for
// evaluations, a scripted player. Env i's learner sits at seat i % 2. In turn-based
// games a row's step is the learner's move and the opponent's reply; the batch carries
// the learner's legal moves (action masks), and snapshots act within theirs; an illegal
// move still forfeits the game (-1 to its maker), as PettingZoo's TerminateIllegalWrapper rules.
// A share of training games can go to scripted players instead (scripted_opponents,
// as PettingZoo's Connect Four tutorial mixes scripted opponents into self-play).
// Pool, opponents (with their generators), assignments and results are checkpointed.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agents/common/learner.h"
#include "agents/common/recipe.h"
#include "envs/core/env_batch.h"
#include "envs/multi/multi_env.h"

namespace rlarena {

class SelfPlayBatch final : public EnvBatch {
 public:
  // Builds a learner of the recipe's algorithm for the env's spaces: an opponent.
  using LearnerMaker = std::function<std::unique_ptr<Learner>(const Recipe&, const Space&, const Space&)>;

  // Recipe keys: env, kwarg, snapshot_every, pool_size, opponent_sampling, eval_opponent,
  // scripted_opponents, scripted_share.
  // With `evaluation`, every game is against the recipe's eval_opponent.
  SelfPlayBatch(const Recipe& recipe, int64_t num_envs, uint64_t seed, bool evaluation);
  static std::vector<KeySpec> keys();

  // The learner whose snapshots fill the pool; its current self is the first one.
  void attach(Learner& learner, LearnerMaker make);

  const std::string& env_id() const override { return envs_.front()->id(); }
  const Space& observation_space() const override { return envs_.front()->observation_space(0); }
  const Space& action_space() const override { return envs_.front()->action_space(0); }
  int64_t rows() const override { return static_cast<int64_t>(envs_.size()); }
  int64_t env_steps_per_step() const override { return rows(); }
  const Batch& reset(std::optional<uint64_t> seed = std::nullopt) override;
  const Batch& step(const void* actions) override;
  void record_episodes(bool on) override;
  void save_state(StateMap& out, const std::string& prefix) const override;
  const Batch& load_state(const StateMap& in, const std::string& prefix) override;

  // Snapshots in the pool, and the learner's results against each (wins, draws, losses).
  int64_t pool_size() const { return static_cast<int64_t>(pool_.size()); }
  struct Record {
    double wins = 0, draws = 0, losses = 0;
  };
  const std::vector<Record>& records() const { return records_; }
  // Games the learner lost by an illegal move since this batch was made.
  int64_t learner_forfeits() const { return learner_forfeits_; }

 private:
  struct Snapshot {
    std::unique_ptr<Learner> policy;
    int64_t step = 0;  // env steps when it was taken
  };
  int learner_seat(int64_t env) const { return static_cast<int>(env % 2); }
  void begin_episode(int64_t env);  // picks the opponent, plays its opening moves
  int pick_opponent();
  void take_snapshot();
  // Lets the opponents of `envs` act where it is their turn (all, in simultaneous
  // games), in batched calls per opponent; returns whether any acted.
  void opponents_act(const std::vector<int64_t>& envs);
  void advance(int64_t env, const void* const* actions);
  // The opponents' first moves in `envs`, where they move first (turn-based games).
  void play_openings(const std::vector<int64_t>& envs);  // one env step with both seats' actions
  void write_row(int64_t env, uint8_t* out) const;
  void write_current(int64_t env);  // the learner's observation and legal moves into the batch
  void finish(int64_t env);  // records the result, autoresets

  const Recipe& recipe_;
  bool evaluation_;
  std::string eval_opponent_;
  int64_t snapshot_every_, pool_limit_;
  double scripted_share_;
  bool hard_sampling_;
  uint64_t seed_;
  bool seeded_once_ = false;
  std::vector<std::unique_ptr<MultiAgentEnv>> envs_;
  Learner* learner_ = nullptr;
  LearnerMaker make_;
  std::vector<Snapshot> pool_;
  std::vector<Record> records_;
  // Each env's opponent: a pool index, -1 the eval opponent, -2 - k scripted_[k].
  std::vector<int> opponent_;
  std::vector<std::string> scripted_;
  int64_t env_steps_ = 0, next_snapshot_ = 0, learner_forfeits_ = 0;
  Rng rng_;                   // opponent sampling and scripted players
  BatchBuffers buf_;
  Batch view_;
  std::vector<double> run_return_, rewards_;
  std::vector<int64_t> run_length_;
  std::vector<uint8_t> term_, trunc_;
  std::vector<std::vector<uint8_t>> obs_[2], act_[2];  // [seat][env]: observation, action
  std::vector<uint8_t> scratch_obs_, scratch_act_, scratch_mask_;
  std::vector<uint8_t> masks_;  // [env, n]: the learner's legal moves (turn-based games)
};

}  // namespace rlarena
