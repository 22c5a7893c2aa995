// Ratings from tournament games. Elo: a Bradley-Terry fit over all games at once,
// with BayesElo's prior (virtual draws between every pair that met, so a clean sweep
// stays finite), on the 400*log10 scale, player 0 anchored at 1000, and 95% intervals
// from games resampled with replacement. TrueSkill (Herbrich et al. 2006): two-player
// updates applied in the order the games were played.
#pragma once
#include <cstdint>
#include <vector>

namespace rlarena {

struct GameResult {
  int first = 0, second = 0;  // player indices
  double score = 0.5;         // the first player's: 1 a win, 0.5 a draw, 0 a loss
};

// Elo of each player from the Bradley-Terry maximum-a-posteriori fit (Hunter's MM
// iterations); a draw counts half a win to each side. `prior_draws` virtual draws are
// added to each pair that played at least once (BayesElo's default: 2).
std::vector<double> bradley_terry_elo(const std::vector<GameResult>& games, int players, double prior_draws = 2.0);

struct EloInterval {
  double elo = 1000, lo = 1000, hi = 1000;  // the fit and its 2.5% and 97.5% bootstrap quantiles
};
std::vector<EloInterval> elo_with_intervals(const std::vector<GameResult>& games, int players, int resamples,
                                            uint64_t seed, double prior_draws = 2.0);

struct TrueSkill {
  double mu = 25.0, sigma = 25.0 / 3.0;
};
// TrueSkill's defaults, as the reference `trueskill` package's (draw probability 10%).
struct TrueSkillParams {
  double beta = 25.0 / 6.0, tau = 25.0 / 300.0, draw_probability = 0.10;
};
// One game between `a` and `b`; `score_a` as GameResult::score.
void trueskill_update(TrueSkill& a, TrueSkill& b, double score_a, const TrueSkillParams& params = {});
std::vector<TrueSkill> trueskill_ratings(const std::vector<GameResult>& games, int players,
                                         const TrueSkillParams& params = {});

}  // namespace rlarena
