#include "arena/mcts.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "common/error.h"

namespace rlarena {

namespace {

struct Node {
  int64_t action = -1;
  int mover = -1;  // the agent whose action led here (-1 at the root)
  int64_t visits = 0;
  double total = 0;  // sum of the mover's returns through this node
  bool expanded = false;
  bool solved = false;               // the outcome below is proven
  std::vector<double> outcome;       // each agent's return, when solved
  std::vector<size_t> children;      // indices into the tree
};

// The game on a copy of the env: one step of the current player, rewards added to `returns`.
struct Game {
  std::unique_ptr<MultiAgentEnv> env;
  std::vector<double> rewards;
  std::vector<uint8_t> terminated, truncated, mask;
  std::vector<const void*> actions;

  explicit Game(const MultiAgentEnv& root)
      : env(root.clone()),
        rewards(root.num_agents()),
        terminated(root.num_agents()),
        truncated(root.num_agents()),
        actions(root.num_agents()) {}

  void play(int64_t action, std::vector<double>& returns) {
    for (auto& a : actions) a = &action;  // only the current player's is read
    env->step_into(actions.data(), nullptr, rewards.data(), terminated.data(), truncated.data());
    for (size_t i = 0; i < returns.size(); ++i) returns[i] += rewards[i];
  }
  std::vector<int64_t> legal() {
    const int mover = env->current_player();
    mask.resize(env->action_space(mover).n());
    env->action_mask(mover, mask.data());
    std::vector<int64_t> out;
    for (size_t i = 0; i < mask.size(); ++i)
      if (mask[i]) out.push_back(static_cast<int64_t>(i) + env->action_space(mover).start());
    return out;
  }
};

}  // namespace

MctsPlayer::MctsPlayer(int64_t simulations, double exploration)
    : simulations_(simulations), exploration_(exploration) {
  if (simulations_ < 1) throw Error("mcts:" + std::to_string(simulations) + ": give at least 1 simulation per move");
}

void MctsPlayer::act(const MultiAgentEnv& root, int agent, const void*, Rng& rng, void* action) {
  const int n = root.num_agents();
  std::vector<Node> tree(1);
  std::vector<size_t> path;
  for (int64_t sim = 0; sim < simulations_ && !tree[0].solved; ++sim) {
    Game game(root);
    std::vector<double> returns(n, 0.0);
    path.assign(1, 0);
    size_t at = 0;
    while (true) {
      Node& node = tree[at];
      if (node.solved) {
        returns = node.outcome;
        break;
      }
      if (game.env->episode_over()) {  // a terminal state: its returns are exact
        node.solved = true;
        node.outcome = returns;
        break;
      }
      if (!node.expanded) {
        // Expand every legal move in a random order (ties in UCT then break at
        // random), and finish the simulation with a uniformly random playout.
        std::vector<int64_t> moves = game.legal();
        for (size_t i = moves.size(); i > 1; --i) std::swap(moves[i - 1], moves[rng.below(i)]);
        const int mover = game.env->current_player();
        for (int64_t m : moves) {
          Node child;
          child.action = m;
          child.mover = mover;
          tree[at].children.push_back(tree.size());
          tree.push_back(std::move(child));
        }
        tree[at].expanded = true;
        while (!game.env->episode_over()) {
          const std::vector<int64_t> legal = game.legal();
          game.play(legal[rng.below(legal.size())], returns);
        }
        break;
      }
      // UCT: unvisited children first, proven children at their exact value.
      size_t best = node.children.front();
      double best_score = -std::numeric_limits<double>::infinity();
      const double log_visits = std::log(static_cast<double>(std::max<int64_t>(node.visits, 1)));
      for (size_t c : node.children) {
        const Node& child = tree[c];
        double score;
        if (child.visits == 0) score = std::numeric_limits<double>::infinity();
        else {
          const double value = child.solved ? child.outcome[child.mover] : child.total / child.visits;
          score = value + exploration_ * std::sqrt(log_visits / child.visits);
        }
        if (score > best_score) best_score = score, best = c;
      }
      game.play(tree[best].action, returns);
      at = best;
      path.push_back(at);
    }
    for (size_t i = path.size(); i-- > 0;) {
      Node& node = tree[path[i]];
      ++node.visits;
      if (node.mover >= 0) node.total += returns[node.mover];
      // MCTS-Solver: a node is proven when one of its moves proves a win (+1) for
      // the player to move, or when every move is proven.
      if (node.solved || !node.expanded || node.children.empty()) continue;
      const int mover = tree[node.children.front()].mover;
      bool all = true;
      const Node* best = nullptr;
      for (size_t c : node.children) {
        const Node& child = tree[c];
        if (!child.solved) {
          all = false;
          continue;
        }
        if (!best || child.outcome[mover] > best->outcome[mover]) best = &child;
      }
      if (best && (all || best->outcome[mover] >= 1.0)) {
        node.solved = true;
        node.outcome = best->outcome;
      }
    }
  }
  // The move: a proven win, else the most visited move not proven lost (ties: the better mean).
  const Node& top = tree[0];
  if (top.children.empty()) throw Error(root.id() + ": mcts was asked to move with no legal move");
  const Node* pick = nullptr;
  auto rank = [&](const Node& c) {
    if (c.solved) return std::make_tuple(c.outcome[agent] >= 1.0 ? 2 : (c.outcome[agent] <= -1.0 ? 0 : 1),
                                         c.visits, c.outcome[agent]);
    return std::make_tuple(1, c.visits, c.visits ? c.total / c.visits : 0.0);
  };
  for (size_t c : top.children)
    if (!pick || rank(tree[c]) > rank(*pick)) pick = &tree[c];
  *static_cast<int64_t*>(action) = pick->action;
}

}  // namespace rlarena
