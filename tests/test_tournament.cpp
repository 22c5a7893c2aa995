// Tournaments: thread-count independence, resume after a kill, errors before any game.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "agent_helpers.h"
#include "agents/run/run.h"
#include "arena/mcts.h"
#include "arena/tournament.h"
#include "common/error.h"
#include "envs/multi/multi_registry.h"
#include "temp_path.h"

using namespace rlarena;
namespace fs = std::filesystem;

namespace {

std::string temp_dir(const std::string& name) {
  const std::string dir = rlarena::test::temp_path(name);
  fs::remove_all(dir);
  return dir;
}

TournamentConfig connect_four(const std::string& out, int threads) {
  TournamentConfig c;
  c.env = "ConnectFour-v0";
  c.players = {parse_player("random"), parse_player("greedy"), parse_player("search=mcts:30")};
  c.games_per_pair = 6;
  c.threads = threads;
  c.seed = 40;
  c.out = out;
  c.progress = false;
  return c;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void same_games(const TournamentResult& a, const TournamentResult& b) {
  REQUIRE(a.games.size() == b.games.size());
  for (size_t g = 0; g < a.games.size(); ++g) {
    INFO("game " << g);
    CHECK(a.games[g].seat0 == b.games[g].seat0);
    CHECK(a.games[g].seat1 == b.games[g].seat1);
    CHECK(a.games[g].seat0_score == b.games[g].seat0_score);
    CHECK(a.games[g].length == b.games[g].length);
  }
  for (size_t p = 0; p < a.elo.size(); ++p) {
    CHECK(a.elo[p].elo == b.elo[p].elo);
    CHECK(a.elo[p].lo == b.elo[p].lo);
    CHECK(a.trueskill[p].mu == b.trueskill[p].mu);
  }
}

}  // namespace

TEST_CASE("The schedule: every pair equally often, seats swapped, game g from seed + g", "[arena][tournament]") {
  const auto games = tournament_schedule(3, 4, 100);
  REQUIRE(games.size() == 12);
  int seat0_of[3] = {0, 0, 0};
  for (const auto& g : games) {
    CHECK(g.seed == 100 + static_cast<uint64_t>(g.game));
    ++seat0_of[g.seat0];
  }
  CHECK(seat0_of[0] == 4);  // each player sits first in half of its 8 games
  CHECK(seat0_of[1] == 4);
  CHECK(seat0_of[2] == 4);
  CHECK(parse_player("best=runs/x").name == "best");
  CHECK(parse_player("runs/ppo-sumo/").name == "ppo-sumo");
  CHECK(parse_player("runs/a=b/c.h5").spec == "runs/a=b/c.h5");
}

TEST_CASE("A tournament gives the same games and ratings at 1 and 2 threads", "[arena][tournament]") {
  const TournamentResult one = run_tournament(connect_four(temp_dir("t1"), 1));
  const TournamentResult two = run_tournament(connect_four(temp_dir("t2"), 2));
  same_games(one, two);
  REQUIRE(one.played_now == 18);
  // The scripted players rank as they should even in 6 games per pair.
  CHECK(one.elo[2].elo > one.elo[1].elo);
  CHECK(one.elo[1].elo > one.elo[0].elo);
}

TEST_CASE("A killed tournament continues where it stopped and equals an uninterrupted one", "[arena][tournament]") {
  const std::string full_dir = temp_dir("full"), cut_dir = temp_dir("cut");
  const TournamentResult full = run_tournament(connect_four(full_dir, 1));
  for (const char* file : {"games.csv", "matrix.csv", "ratings.csv", "ratings.json", "report.md", "matrix.png"})
    REQUIRE(fs::exists(fs::path(full_dir) / file));
  // What a kill leaves: some games, finished out of order by the threads, and a torn last row.
  run_tournament(connect_four(cut_dir, 2));
  std::istringstream rows(read(cut_dir + "/games.csv"));
  std::string header, line;
  std::getline(rows, header);
  std::vector<std::string> kept;
  while (std::getline(rows, line))
    if (kept.size() < 7 && std::stoi(line) % 2 == 1) kept.push_back(line);
  {
    std::ofstream out(cut_dir + "/games.csv", std::ios::trunc);
    out << header << "\n";
    for (auto it = kept.rbegin(); it != kept.rend(); ++it) out << *it << "\n";
    out << "4,greedy,sea";
  }
  fs::remove(cut_dir + "/ratings.csv");
  const TournamentResult resumed = run_tournament(connect_four(cut_dir, 2));
  CHECK(resumed.played_now == 18 - 7);
  same_games(full, resumed);
  // Each game is in games.csv once, and the ratings files are back.
  std::istringstream again(read(cut_dir + "/games.csv"));
  std::getline(again, header);
  std::vector<int> count(18, 0);
  while (std::getline(again, line)) ++count.at(std::stoi(line));
  CHECK(count == std::vector<int>(18, 1));
  CHECK(read(cut_dir + "/ratings.csv") == read(full_dir + "/ratings.csv"));
  // A finished tournament run again plays nothing.
  CHECK(run_tournament(connect_four(cut_dir, 1)).played_now == 0);
}

TEST_CASE("Tournament mistakes are errors before any game is played", "[arena][tournament]") {
  const std::string dir = temp_dir("bad");
  TournamentConfig c = connect_four(dir, 1);
  c.players.push_back(parse_player("grredy"));
  CHECK_THROWS_WITH(run_tournament(c), Catch::Contains("unknown player 'grredy'") && Catch::Contains("greedy"));
  CHECK_FALSE(fs::exists(dir + "/games.csv"));
  c = connect_four(dir, 1);
  c.players.push_back(parse_player("mcts:0"));
  CHECK_THROWS_WITH(run_tournament(c), Catch::Contains("mcts:N"));
  c = connect_four(dir, 1);
  c.players[1].name = "random";
  CHECK_THROWS_WITH(run_tournament(c), Catch::Contains("two players are named 'random'"));
  c = connect_four(dir, 1);
  c.env = "CartPole-v1";
  CHECK_THROWS_WITH(run_tournament(c), Catch::Contains("unknown multi-agent env id 'CartPole-v1'"));
  CHECK_FALSE(fs::exists(dir + "/games.csv"));
  // Other settings in a directory that holds a tournament.
  run_tournament(connect_four(dir, 1));
  c = connect_four(dir, 1);
  c.games_per_pair = 8;
  CHECK_THROWS_WITH(run_tournament(c), Catch::Contains("holds a tournament with other settings"));
}

TEST_CASE("A checkpoint trained on another env is refused by name", "[arena][tournament]") {
  const std::string run = temp_dir("cartpole_run");
  RunOptions options;
  options.dir = run;
  options.catch_sigint = false;
  train(agent_test::recipe_of("ppo", {{"num_envs", "2"}, {"num_steps", "64"}, {"total_steps", "128"}}), options);
  TournamentConfig c = connect_four(temp_dir("ckpt"), 1);
  c.players.push_back(parse_player("cp=" + run));
  CHECK_THROWS_WITH(run_tournament(c), Catch::Contains("was trained on CartPole-v1, not ConnectFour-v0"));
}

TEST_CASE("MCTS takes an immediate win and blocks the opponent's", "[arena][mcts]") {
  auto env = make_multi("ConnectFour-v0");
  MctsPlayer mcts(200);
  Rng rng(3);
  int64_t action = -1;
  env->reset(0);
  for (int64_t c : {0, 6, 1, 6, 2}) {
    std::vector<int64_t> a(2, c);
    env->step(a);
  }
  mcts.act(*env, 1, nullptr, rng, &action);  // player_1 must block column 3
  CHECK(action == 3);
  env->step(std::vector<int64_t>{5, 5});
  mcts.act(*env, 0, nullptr, rng, &action);  // player_0 wins at 3
  CHECK(action == 3);
}

TEST_CASE("A self-play checkpoint is a player: it sits at either seat with its own policy", "[arena][tournament]") {
  const std::string run = temp_dir("sumo_run");
  RunOptions options;
  options.dir = run;
  options.catch_sigint = false;
  train(agent_test::recipe_of("selfplay", {{"env", "Sumo-v0"}, {"num_envs", "4"}, {"num_steps", "32"},
                                           {"total_steps", "256"}, {"eval_episodes", "2"}}),
        options);
  TournamentConfig c;
  c.env = "Sumo-v0";
  c.players = {parse_player("trained=" + run), parse_player("heuristic"), parse_player("random")};
  c.games_per_pair = 4;
  c.out = temp_dir("sumo_tournament");
  c.progress = false;
  const TournamentResult r = run_tournament(c);
  REQUIRE(r.games.size() == 12);
  int trained_seat0 = 0, trained_seat1 = 0;
  for (const auto& g : r.games) trained_seat0 += g.seat0 == 0, trained_seat1 += g.seat1 == 0;
  CHECK(trained_seat0 == 4);
  CHECK(trained_seat1 == 4);
  // The heuristic charges: it beats random in every game.
  for (const auto& g : r.games)
    if ((g.seat0 == 1 && g.seat1 == 2) || (g.seat0 == 2 && g.seat1 == 1)) CHECK(g.seat0_score == (g.seat0 == 1 ? 1.0 : 0.0));
}
