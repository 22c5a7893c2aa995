// ConnectFour-v0: two players drop pieces into a 6x7 board; four in a row, column or
// diagonal wins. PettingZoo's connect_four_v3 rules: agents player_0 (moves first) and
// player_1, action = column 0..6, a full column is illegal (see action_mask), reward +1
// to the winner and -1 to the loser at the end, 0 to both for a full board. The
// observation is PettingZoo's (6, 7, 2) layout, row 0 at the top: plane 0 the observing
// agent's pieces, plane 1 the opponent's; float32 0/1 here (PettingZoo's are int8).
// Scripted player "greedy": win now, else block a column where the opponent would win
// now, else a uniformly random legal column. State (rollout --state): the 42 cells
// row by row from the top (0 empty, 1 player_0's, 2 player_1's), then the player to move.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/error.h"
#include "envs/multi/multi_registry.h"

namespace rlarena {
namespace {

class ConnectFour final : public MultiAgentEnv {
  static constexpr int kRows = 6, kCols = 7, kConnect = 4;

 public:
  ConnectFour(const EnvSpec& spec, const Kwargs&)
      : MultiAgentEnv(spec, {"player_0", "player_1"},
                      {Space::box(0, 1, {kRows, kCols, 2}), Space::box(0, 1, {kRows, kCols, 2})},
                      {Space::discrete(kCols), Space::discrete(kCols)}) {}

  std::unique_ptr<MultiAgentEnv> clone() const override { return std::unique_ptr<MultiAgentEnv>(new ConnectFour(*this)); }

  bool turn_based() const override { return true; }
  int current_player() const override { return to_move_; }
  void action_mask(int agent, uint8_t* mask) const override {
    for (int c = 0; c < kCols; ++c) mask[c] = agent == to_move_ && !episode_over() && board_[0][c] == 0;
  }

  std::vector<std::string> scripted_players() const override { return {"greedy"}; }
  bool scripted_action(const std::string& name, int agent, Rng& rng, void* action) const override {
    if (name != "greedy") return false;
    int64_t& out = *static_cast<int64_t*>(action);
    for (const int who : {agent, 1 - agent}) {  // my win first, then the opponent's to block
      for (int c = 0; c < kCols; ++c)
        if (board_[0][c] == 0 && wins_at(landing_row(c), c, who + 1)) {
          out = c;
          return true;
        }
    }
    int legal[kCols], n = 0;
    for (int c = 0; c < kCols; ++c)
      if (board_[0][c] == 0) legal[n++] = c;
    out = n ? legal[rng.below(n)] : 0;
    return true;
  }

 private:
  std::vector<std::string> state_names() const override {
    std::vector<std::string> names;
    for (int r = 0; r < kRows; ++r)
      for (int c = 0; c < kCols; ++c) names.push_back("cell_" + std::to_string(r) + "_" + std::to_string(c));
    names.push_back("to_move");
    return names;
  }
  void read_state(double* out) const override {
    for (int r = 0; r < kRows; ++r)
      for (int c = 0; c < kCols; ++c) *out++ = board_[r][c];
    *out = to_move_;
  }
  void write_state(const double* in) override {
    for (int k = 0; k <= kRows * kCols; ++k) {
      const int most = k == kRows * kCols ? 1 : 2;
      if (in[k] != std::floor(in[k]) || in[k] < 0 || in[k] > most)
        throw Error(id() + ": state value " + state_names()[k] + "=" + std::to_string(in[k]) + " must be 0.." +
                    std::to_string(most));
    }
    for (int r = 0; r < kRows; ++r)
      for (int c = 0; c < kCols; ++c) board_[r][c] = static_cast<int8_t>(*in++);
    to_move_ = static_cast<int>(*in);
  }

  void do_reset() override {
    std::memset(board_, 0, sizeof(board_));
    to_move_ = 0;
  }

  bool do_step(const void* const* actions, double* rewards) override {
    const int col = static_cast<int>(*static_cast<const int64_t*>(actions[to_move_]));
    const int row = landing_row(col);
    const int piece = to_move_ + 1;
    board_[row][col] = static_cast<int8_t>(piece);
    if (wins_at(row, col, piece)) {
      rewards[to_move_] = 1;
      rewards[1 - to_move_] = -1;
      return true;
    }
    to_move_ = 1 - to_move_;
    return std::none_of(board_[0], board_[0] + kCols, [](int8_t v) { return v == 0; });  // full: a draw
  }

  void observe(int agent, void* obs) const override {
    float* o = static_cast<float*>(obs);
    const int own = agent + 1, other = 2 - agent;
    for (int r = 0; r < kRows; ++r)
      for (int c = 0; c < kCols; ++c, o += 2) {
        o[0] = board_[r][c] == own;
        o[1] = board_[r][c] == other;
      }
  }

  // The row a piece dropped into column `col` comes to rest in (the column has room).
  int landing_row(int col) const {
    int row = kRows - 1;
    while (board_[row][col] != 0) --row;
    return row;
  }

  // Whether `piece` at (row, col) makes four in a line with the pieces already there.
  bool wins_at(int row, int col, int piece) const {
    static constexpr int kDirections[4][2] = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};
    for (const auto& d : kDirections) {
      int count = 1;
      for (const int sign : {1, -1}) {
        int r = row + sign * d[0], c = col + sign * d[1];
        while (r >= 0 && r < kRows && c >= 0 && c < kCols && board_[r][c] == piece) {
          ++count;
          r += sign * d[0];
          c += sign * d[1];
        }
      }
      if (count >= kConnect) return true;
    }
    return false;
  }

  int8_t board_[kRows][kCols] = {};
  int to_move_ = 0;
};

const bool registered = register_multi_env<ConnectFour>({"ConnectFour-v0", 0, std::nullopt, {}, "pettingzoo.classic.connect_four_v3"});

}  // namespace
}  // namespace rlarena
