// The multi-agent VecEnv: (env, agent) rows, padding and ids, same-step autoreset,
// turn-based rows and masks, thread-count independence.
#include <catch2/catch.hpp>
#include <cstring>

#include "common/rng.h"
#include "envs/multi/multi_registry.h"
#include "envs/multi/multi_vec_env.h"

using namespace rlarena;

TEST_CASE("Multi-agent VecEnv: rows are (env, agent), ids one-hot, a finished game resets in the same step",
          "[multi][vec]") {
  MultiAgentVecEnv vec("ConnectFour-v0", 3, 10, 1, {}, true);
  REQUIRE(vec.rows() == 6);
  REQUIRE(vec.observation_space().shape() == std::vector<int64_t>{84 + 2});
  REQUIRE(vec.state_space().shape() == std::vector<int64_t>{168});
  const Batch& b = vec.reset();
  REQUIRE(b.size == 6);
  for (int64_t r = 0; r < 6; ++r) {
    CHECK(b.env_ids[r] == r);  // each row is its own stream
    CHECK(b.obs_row<float>(r)[84] == (r % 2 == 0 ? 1.f : 0.f));  // the agent's one-hot id
    CHECK(b.obs_row<float>(r)[85] == (r % 2 == 1 ? 1.f : 0.f));
    CHECK(vec.acting()[r] == (r % 2 == 0));  // player_0 moves first in every game
  }
  // Env 1 plays a column win for player_0; envs 0 and 2 a game without a line.
  const std::vector<int64_t> env1 = {0, 1, 0, 1, 0, 1, 0}, others = {2, 3, 4, 2, 3, 4, 2};
  for (size_t t = 0; t < env1.size(); ++t) {
    std::vector<int64_t> actions(6, 0);
    for (int e : {0, 1, 2})
      for (int a : {0, 1}) actions[e * 2 + a] = e == 1 ? env1[t] : others[t];
    vec.step(actions);
    const bool last = t + 1 == env1.size();
    CHECK(b.terminated[2] == last);
    CHECK(b.terminated[3] == last);
    CHECK(b.terminated[0] == 0);
    if (!last) continue;
    CHECK(b.reward[2] == 1.0);
    CHECK(b.reward[3] == -1.0);
    CHECK(b.episode_return[2] == 1.0);
    CHECK(b.episode_length[3] == 7);
    // final_obs holds the winning board; obs the next game's empty one.
    const float* fin = b.final_obs_row<float>(2);
    CHECK(fin[(5 * 7 + 0) * 2 + 0] == 1.f);
    CHECK(fin[(2 * 7 + 0) * 2 + 0] == 1.f);
    for (int k = 0; k < 84; ++k) CHECK(b.obs_row<float>(2)[k] == 0.f);
    CHECK(vec.acting()[2] == 1);  // a new game: player_0 again
    CHECK(vec.final_state()[168 + (5 * 7 + 0) * 2] == 1.f);
  }
  // Masks follow each game: in env 0 it is player_1's turn (row 1), not player_0's (row 0).
  for (int c = 0; c < 7; ++c) {
    CHECK(vec.action_masks()[0 * 7 + c] == 0);
    CHECK(vec.action_masks()[1 * 7 + c] == 1);
  }
  CHECK(vec.acting()[1] == 1);
  CHECK(vec.acting()[0] == 0);
}

TEST_CASE("Multi-agent VecEnv: the same seed gives the same batches at 1 and 2 threads", "[multi][vec]") {
  MultiAgentVecEnv one("ConnectFour-v0", 8, 3, 1), two("ConnectFour-v0", 8, 3, 2);
  const Batch& a = one.reset();
  const Batch& b = two.reset();
  Rng rng(1);
  for (int t = 0; t < 200; ++t) {
    std::vector<int64_t> actions(one.rows());
    for (int64_t r = 0; r < one.rows(); ++r) {
      std::vector<int64_t> legal;
      for (int c = 0; c < 7; ++c)
        if (one.action_masks()[r * 7 + c]) legal.push_back(c);
      actions[r] = legal.empty() ? 0 : legal[rng.below(legal.size())];
    }
    one.step(actions);
    two.step(actions);
    REQUIRE(std::memcmp(a.obs, b.obs, a.size * a.obs_bytes) == 0);
    for (int64_t r = 0; r < a.size; ++r) {
      REQUIRE(a.reward[r] == b.reward[r]);
      REQUIRE(a.terminated[r] == b.terminated[r]);
      REQUIRE(a.episode_return[r] == b.episode_return[r]);
      REQUIRE(one.acting()[r] == two.acting()[r]);
    }
  }
}

TEST_CASE("Multi-agent VecEnv: env i is seeded s + i, a saved state resumes the same batches", "[multi][vec]") {
  MultiAgentVecEnv vec("simple_spread_v3", 4, 20, 2);
  vec.record_episodes(true);
  const Batch& b = vec.reset();
  for (int64_t i = 0; i < 4; ++i) {
    auto env = make_multi("simple_spread_v3");
    const auto obs = env->reset(20 + i);
    for (int a = 0; a < 3; ++a) REQUIRE(std::memcmp(b.obs_row<float>(i * 3 + a), obs[a].data(), 18 * 4) == 0);
  }
  Rng rng(4);
  auto actions = [&] {
    std::vector<int64_t> a(vec.rows());
    for (auto& x : a) x = static_cast<int64_t>(rng.below(5));
    return a;
  };
  for (int t = 0; t < 37; ++t) vec.step(actions());  // past one autoreset (25 steps)
  StateMap saved;
  vec.save_state(saved, "envs/");
  MultiAgentVecEnv again("simple_spread_v3", 4, 20, 1);
  again.record_episodes(true);
  const Batch& c = again.load_state(saved, "envs/");
  REQUIRE(std::memcmp(b.obs, c.obs, b.size * b.obs_bytes) == 0);
  for (int t = 0; t < 30; ++t) {
    const auto a = actions();
    vec.step(a);
    again.step(a);
    REQUIRE(std::memcmp(b.obs, c.obs, b.size * b.obs_bytes) == 0);
    for (int64_t r = 0; r < b.size; ++r) {
      REQUIRE(b.reward[r] == c.reward[r]);
      REQUIRE(b.truncated[r] == c.truncated[r]);
      REQUIRE(b.episode_return[r] == c.episode_return[r]);
      REQUIRE(b.episode_length[r] == c.episode_length[r]);
    }
  }
}
