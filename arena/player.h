// Player: one seat's decision maker in a tournament game. Scripted players are
// "random" (a uniformly random legal action), the env's own (ConnectFour's "greedy",
// Sumo's "heuristic") and "mcts:N" (arena/mcts.h); a trained player is a run directory
// or checkpoint, acting with its policy's mode.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "common/rng.h"
#include "envs/multi/multi_env.h"

namespace rlarena {

class Player {
 public:
  virtual ~Player() = default;
  // Writes `agent`'s action for `env`'s current state; `obs` is that agent's
  // observation. Random choices come from `rng`, the game's own generator, so a game
  // plays the same on any thread.
  virtual void act(const MultiAgentEnv& env, int agent, const void* obs, Rng& rng, void* action) = 0;
};

// A player as the command line names it: "random", "mcts:200", a name the env's
// scripted_players() lists, or a run directory / checkpoint file. Checks that the
// player can sit at every seat of `env` (a trained policy's spaces fit, MCTS needs a
// turn-based game) and raises an Error naming the player and the fix otherwise.
std::unique_ptr<Player> make_player(const std::string& spec, const MultiAgentEnv& env);

// Uniformly random among the legal actions (action masks), or a draw from the action space.
class RandomPlayer final : public Player {
 public:
  void act(const MultiAgentEnv& env, int agent, const void* obs, Rng& rng, void* action) override;
};

}  // namespace rlarena
