// Tournament: a round robin between players on a two-player env (rlarena tournament).
// Every pair meets games_per_pair times, seats swapped equally; the games spread over
// threads. Game g is played from seed + g, so the results are the same at any thread
// count. Games are appended to OUT/games.csv as they finish; running the same
// tournament again plays only the games not in it, and the results equal an
// uninterrupted run's. Several processes (ranks) can share the games: each plays those
// whose place among the games to play is its rank modulo their number, and rank 0,
// which owns OUT, gathers the others' at the end; the results equal one process's.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "arena/ratings.h"
#include "envs/core/kwargs.h"

namespace rlarena {

struct PlayerEntry {
  std::string name;  // as the tables show it
  std::string spec;  // as make_player reads it
};
// "NAME=SPEC", or SPEC named by itself (a run directory by its last folder).
PlayerEntry parse_player(const std::string& text);

// How a tournament's ranks talk (rlarena tournament --nproc N, or under torchrun).
class RankLink {
 public:
  virtual ~RankLink() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Rank 0 gets every rank's `mine` in rank order; the others an empty list.
  virtual std::vector<std::string> gather_texts(const std::string& mine) = 0;
  // Every rank gets rank 0's `text`.
  virtual std::string broadcast_text(const std::string& text) = 0;
};

struct TournamentConfig {
  std::string env;
  Kwargs kwargs;
  std::vector<PlayerEntry> players;
  int64_t games_per_pair = 0;
  int threads = 1;
  uint64_t seed = 0;
  std::string out;  // the output directory
  bool progress = true;
  RankLink* ranks = nullptr;  // null: one process
};

struct PlayedGame {
  int64_t game = 0;
  int seat0 = 0, seat1 = 0;  // player indices at the env's first and second agent
  uint64_t seed = 0;
  double seat0_score = 0.5;  // 1 a win for seat 0, 0.5 a draw, 0 a loss
  int64_t length = 0;        // env steps
  std::string end;           // "normal", or "illegal" when a player forfeited with an illegal move
};

struct TournamentResult {
  std::vector<PlayedGame> games;  // every game, in game order
  int64_t played_now = 0;         // games this call played (the rest came from games.csv)
  double seconds = 0;             // wall time of the games played now
  std::vector<EloInterval> elo;   // per player
  std::vector<TrueSkill> trueskill;
};

// The games a tournament of `players` players and `games_per_pair` games per pair
// plays, in order: round r holds each pair once, seats swapped in odd rounds.
std::vector<PlayedGame> tournament_schedule(int players, int64_t games_per_pair, uint64_t seed);

// Runs the games not yet in OUT/games.csv, then writes the tables and the report
// (arena/report.h). Checks every player before the first game.
TournamentResult run_tournament(const TournamentConfig& config);

// Ratings and the win/draw/loss counts of finished games (2000 bootstrap resamples).
void rate_games(const std::vector<PlayedGame>& games, int players, uint64_t seed, TournamentResult& result);

}  // namespace rlarena
