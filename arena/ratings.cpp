#include "arena/ratings.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "common/rng.h"

namespace rlarena {

std::vector<double> bradley_terry_elo(const std::vector<GameResult>& games, int players, double prior_draws) {
  const size_t p = static_cast<size_t>(players);
  std::vector<double> wins(p, 0.0);          // score of each player, virtual draws included
  std::vector<double> played(p * p, 0.0);    // games between i and j, virtual draws included
  for (const GameResult& g : games) {
    if (g.first < 0 || g.second < 0 || g.first >= players || g.second >= players || g.first == g.second)
      throw Error("ratings: a game names players " + std::to_string(g.first) + " and " + std::to_string(g.second) +
                  " of " + std::to_string(players));
    wins[g.first] += g.score;
    wins[g.second] += 1.0 - g.score;
    played[g.first * p + g.second] += 1;
    played[g.second * p + g.first] += 1;
  }
  for (size_t i = 0; i < p; ++i)
    for (size_t j = 0; j < p; ++j)
      if (i != j && played[i * p + j] > 0) {
        played[i * p + j] += prior_draws;
        wins[i] += prior_draws / 2;  // each pair's prior counted once per side
      }
  // Hunter's MM: gamma_i <- W_i / sum_j n_ij / (gamma_i + gamma_j), renormalized.
  std::vector<double> gamma(p, 1.0), next(p);
  for (int iter = 0; iter < 100000; ++iter) {
    double change = 0;
    for (size_t i = 0; i < p; ++i) {
      double denom = 0;
      for (size_t j = 0; j < p; ++j)
        if (j != i && played[i * p + j] > 0) denom += played[i * p + j] / (gamma[i] + gamma[j]);
      next[i] = denom > 0 ? wins[i] / denom : gamma[i];
    }
    double log_mean = 0;
    for (double g : next) log_mean += std::log(g);
    log_mean /= static_cast<double>(p);
    for (size_t i = 0; i < p; ++i) {
      const double g = next[i] / std::exp(log_mean);
      change = std::max(change, std::abs(std::log(g / gamma[i])));
      gamma[i] = g;
    }
    if (change < 1e-12) break;
  }
  std::vector<double> elo(p);
  for (size_t i = 0; i < p; ++i) elo[i] = 1000.0 + 400.0 * std::log10(gamma[i] / gamma[0]);
  return elo;
}

std::vector<EloInterval> elo_with_intervals(const std::vector<GameResult>& games, int players, int resamples,
                                            uint64_t seed, double prior_draws) {
  const std::vector<double> fit = bradley_terry_elo(games, players, prior_draws);
  std::vector<std::vector<double>> samples(players);
  Rng rng(seed);
  std::vector<GameResult> resampled(games.size());
  for (int r = 0; r < resamples; ++r) {
    for (auto& g : resampled) g = games[rng.below(games.size())];
    const std::vector<double> elo = bradley_terry_elo(resampled, players, prior_draws);
    for (int i = 0; i < players; ++i) samples[i].push_back(elo[i]);
  }
  std::vector<EloInterval> out(players);
  for (int i = 0; i < players; ++i) {
    out[i].elo = out[i].lo = out[i].hi = fit[i];
    if (samples[i].empty()) continue;
    std::vector<double>& s = samples[i];
    std::sort(s.begin(), s.end());
    // Linear interpolation between order statistics (numpy's default quantile).
    auto quantile = [&](double q) {
      const double pos = q * static_cast<double>(s.size() - 1);
      const size_t lo = static_cast<size_t>(pos);
      const size_t hi = std::min(lo + 1, s.size() - 1);
      return s[lo] + (s[hi] - s[lo]) * (pos - static_cast<double>(lo));
    };
    out[i].lo = quantile(0.025);
    out[i].hi = quantile(0.975);
  }
  return out;
}

namespace {

double pdf(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI); }
double cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }
// The inverse of cdf, by bisection: exact enough for the draw margin and run once per game.
double inverse_cdf(double p) {
  double lo = -40, hi = 40;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (cdf(mid) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

void trueskill_update(TrueSkill& a, TrueSkill& b, double score_a, const TrueSkillParams& params) {
  // Dynamics first: each skill may have drifted by tau since its last game.
  const double var_a = a.sigma * a.sigma + params.tau * params.tau;
  const double var_b = b.sigma * b.sigma + params.tau * params.tau;
  const double c = std::sqrt(2 * params.beta * params.beta + var_a + var_b);
  // The draw margin that makes a draw between equals as likely as draw_probability.
  const double eps = inverse_cdf((params.draw_probability + 1) / 2) * std::sqrt(2.0) * params.beta / c;
  const bool draw = score_a == 0.5;
  TrueSkill& winner = score_a >= 0.5 ? a : b;
  TrueSkill& loser = score_a >= 0.5 ? b : a;
  const double var_w = score_a >= 0.5 ? var_a : var_b, var_l = score_a >= 0.5 ? var_b : var_a;
  const double t = (winner.mu - loser.mu) / c;
  double v, w;
  if (!draw) {
    const double denom = cdf(t - eps);
    // Far in the tail the ratio tends to -(t - eps); use it where the cdf underflows.
    v = denom > 1e-300 ? pdf(t - eps) / denom : -(t - eps);
    w = v * (v + t - eps);
  } else {
    const double denom = cdf(eps - t) - cdf(-eps - t);
    v = (pdf(-eps - t) - pdf(eps - t)) / denom;
    w = v * v + ((eps - t) * pdf(eps - t) + (eps + t) * pdf(eps + t)) / denom;
  }
  winner.mu += var_w / c * v;
  loser.mu -= var_l / c * v;
  winner.sigma = std::sqrt(var_w * std::max(1 - var_w / (c * c) * w, 1e-12));
  loser.sigma = std::sqrt(var_l * std::max(1 - var_l / (c * c) * w, 1e-12));
}

std::vector<TrueSkill> trueskill_ratings(const std::vector<GameResult>& games, int players,
                                         const TrueSkillParams& params) {
  std::vector<TrueSkill> r(players);
  for (const GameResult& g : games) trueskill_update(r.at(g.first), r.at(g.second), g.score, params);
  return r;
}

}  // namespace rlarena
