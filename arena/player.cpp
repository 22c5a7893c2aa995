#include "arena/player.h"

#include <cctype>
#include <vector>

#include "agents/policy/load.h"
#include "arena/mcts.h"
#include "common/error.h"

namespace rlarena {

namespace {

// The env's own scripted player (greedy, heuristic).
class EnvPlayer final : public Player {
 public:
  explicit EnvPlayer(std::string name) : name_(std::move(name)) {}
  void act(const MultiAgentEnv& env, int agent, const void*, Rng& rng, void* action) override {
    env.scripted_action(name_, agent, rng, action);
  }

 private:
  std::string name_;
};

// A trained policy, acting with its mode, within the legal moves of a turn-based game
// where it can (on-policy agents); an illegal move forfeits the game (arena/tournament.h).
class PolicyPlayer final : public Player {
 public:
  explicit PolicyPlayer(std::unique_ptr<Policy> policy) : policy_(std::move(policy)) {}
  void act(const MultiAgentEnv& env, int agent, const void* obs, Rng&, void* action) override {
    PolicyInput input;
    input.obs = obs;
    input.n = 1;
    std::vector<uint8_t> mask;
    if (env.turn_based() && env.action_space(agent).kind() == Space::Kind::Discrete) {
      mask = env.action_mask(agent);
      input.action_mask = mask.data();
    }
    policy_->act(input, Acting::Deterministic, action);
  }

 private:
  std::unique_ptr<Policy> policy_;
};

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

void RandomPlayer::act(const MultiAgentEnv& env, int agent, const void*, Rng& rng, void* action) {
  const Space& space = env.action_space(agent);
  if (space.kind() != Space::Kind::Discrete) {
    space.sample(rng, action);
    return;
  }
  const std::vector<uint8_t> mask = env.action_mask(agent);
  std::vector<int64_t> legal;
  for (size_t i = 0; i < mask.size(); ++i)
    if (mask[i]) legal.push_back(static_cast<int64_t>(i) + space.start());
  if (legal.empty()) throw Error(env.id() + ": agent " + env.agents()[agent] + " has no legal action to take");
  *static_cast<int64_t*>(action) = legal[rng.below(legal.size())];
}

std::unique_ptr<Player> make_player(const std::string& spec, const MultiAgentEnv& env) {
  if (spec == "random") return std::make_unique<RandomPlayer>();
  if (spec.rfind("mcts", 0) == 0) {
    const std::string n = spec.size() > 5 && spec[4] == ':' ? spec.substr(5) : "";
    if (!all_digits(n) || n.size() > 9 || std::stoll(n) < 1)
      throw Error("player '" + spec + "': give mcts:N with N simulations per move, e.g. mcts:200");
    if (!env.turn_based())
      throw Error("player '" + spec + "': MCTS searches turn-based games; " + env.id() +
                  " has its agents act at once");
    return std::make_unique<MctsPlayer>(std::stoll(n));
  }
  const std::vector<std::string> own = env.scripted_players();
  for (const auto& name : own)
    if (spec == name) return std::make_unique<EnvPlayer>(name);
  const bool looks_like_path = spec.find('/') != std::string::npos || spec.find('.') != std::string::npos;
  if (!looks_like_path) {
    std::vector<std::string> known = {"random", "mcts:N"};
    known.insert(known.end(), own.begin(), own.end());
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    throw NotFound("unknown player '" + spec + "' for " + env.id() + "; scripted players are " + list +
                   ", or give a run directory or checkpoint (a path)");
  }
  LoadedPolicy loaded = load_policy(spec);
  const std::string trained_on = loaded.recipe->text("env");
  if (trained_on != env.id())
    throw Error("player '" + spec + "' was trained on " + trained_on + ", not " + env.id() +
                "; give a run or checkpoint of " + env.id());
  for (int a = 0; a < env.num_agents(); ++a)
    check_policy_fits(*loaded.learner, "player '" + spec + "'", env.observation_space(a), env.action_space(a),
                      env.id() + " (seat " + env.agents()[a] + ")");
  return std::make_unique<PolicyPlayer>(std::move(loaded.learner));
}

}  // namespace rlarena
