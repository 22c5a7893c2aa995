// MctsPlayer ("mcts:N"): UCT search with N simulations per move, each ending in one
// uniformly random playout, as OpenSpiel's MCTSBot with a random-rollout evaluator.
// Proven outcomes are backed up as in MCTS-Solver (Winands et al. 2008; OpenSpiel's
// solve=True): a move that wins at once is found and taken, and one that lets the
// opponent win at once is avoided once searched. For turn-based games whose
// rewards come at the end.
#pragma once
#include <cstdint>

#include "arena/player.h"

namespace rlarena {

class MctsPlayer final : public Player {
 public:
  // `simulations` per move; `exploration` is UCT's c (OpenSpiel's default uct_c = 2).
  explicit MctsPlayer(int64_t simulations, double exploration = 2.0);
  void act(const MultiAgentEnv& env, int agent, const void* obs, Rng& rng, void* action) override;

 private:
  int64_t simulations_;
  double exploration_;
};

}  // namespace rlarena
