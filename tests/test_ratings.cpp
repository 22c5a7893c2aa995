// Elo (Bradley-Terry with BayesElo's prior) and TrueSkill on known numbers.
#include <catch2/catch.hpp>
#include <cmath>

#include "arena/ratings.h"

using namespace rlarena;

TEST_CASE("Bradley-Terry recovers known strengths from a synthetic result matrix", "[arena][ratings]") {
  const std::vector<double> truth = {1000, 1200, 1350, 1600};
  std::vector<GameResult> games;
  const int per_pair = 20000;
  for (int i = 0; i < 4; ++i)
    for (int j = i + 1; j < 4; ++j) {
      // The expected result counts of the Elo model: P(i beats j) = 1 / (1 + 10^((Rj - Ri) / 400)).
      const double p = 1.0 / (1.0 + std::pow(10.0, (truth[j] - truth[i]) / 400.0));
      const int wins = static_cast<int>(std::lround(p * per_pair));
      for (int k = 0; k < per_pair; ++k) games.push_back({i, j, k < wins ? 1.0 : 0.0});
    }
  const std::vector<double> exact = bradley_terry_elo(games, 4, 0.0);
  for (int i = 0; i < 4; ++i) CHECK(exact[i] == Approx(truth[i]).margin(1.0));
  // The prior's 2 virtual draws per pair barely move 20000 games.
  const std::vector<double> with_prior = bradley_terry_elo(games, 4);
  for (int i = 0; i < 4; ++i) CHECK(with_prior[i] == Approx(truth[i]).margin(2.0));
}

TEST_CASE("BayesElo's prior keeps a clean sweep finite, draws count half", "[arena][ratings]") {
  std::vector<GameResult> sweep(10, GameResult{0, 1, 1.0});
  // 10 wins + 1 virtual win against 0 + 1: strengths 11 : 1.
  const std::vector<double> elo = bradley_terry_elo(sweep, 2);
  CHECK(elo[0] == 1000.0);
  CHECK(elo[1] == Approx(1000.0 - 400.0 * std::log10(11.0)).epsilon(1e-9));
  // 4 wins and 4 draws of 8 equal 6 wins of 8: 3 : 1 without the prior.
  std::vector<GameResult> mixed(4, GameResult{0, 1, 1.0});
  for (int k = 0; k < 4; ++k) mixed.push_back({1, 0, 0.5});
  CHECK(bradley_terry_elo(mixed, 2, 0.0)[1] == Approx(1000.0 - 400.0 * std::log10(3.0)).epsilon(1e-9));
  // Bootstrap intervals hold the fit and come from the seed.
  const auto a = elo_with_intervals(mixed, 2, 300, 9), b = elo_with_intervals(mixed, 2, 300, 9);
  CHECK(a[1].lo <= a[1].elo);
  CHECK(a[1].elo <= a[1].hi);
  CHECK(a[1].lo < a[1].hi);
  CHECK(a[1].lo == b[1].lo);
  CHECK(a[1].hi == b[1].hi);
}

TEST_CASE("TrueSkill updates match the reference implementation's numbers", "[arena][ratings]") {
  // The trueskill package's documented 1-vs-1 results from default ratings:
  // a win gives (29.396, 7.171) and (20.604, 7.171); a draw (25.000, 6.458) to both.
  TrueSkill a, b;
  trueskill_update(a, b, 1.0);
  CHECK(a.mu == Approx(29.396).margin(5e-4));
  CHECK(a.sigma == Approx(7.171).margin(5e-4));
  CHECK(b.mu == Approx(20.604).margin(5e-4));
  CHECK(b.sigma == Approx(7.171).margin(5e-4));
  TrueSkill c, d;
  trueskill_update(c, d, 0.5);
  CHECK(c.mu == Approx(25.0).margin(5e-4));
  CHECK(d.mu == Approx(25.0).margin(5e-4));
  CHECK(c.sigma == Approx(6.458).margin(5e-4));
  // A loss is the win seen from the other side.
  TrueSkill e, f;
  trueskill_update(e, f, 0.0);
  CHECK(e.mu == Approx(b.mu));
  CHECK(f.mu == Approx(a.mu));
  // An upset moves a lot, an expected win little.
  TrueSkill strong{35, 2}, weak{15, 2};
  TrueSkill s1 = strong, w1 = weak;
  trueskill_update(s1, w1, 1.0);
  TrueSkill s2 = strong, w2 = weak;
  trueskill_update(s2, w2, 0.0);
  CHECK(s1.mu - strong.mu < 0.05);
  CHECK(strong.mu - s2.mu > 1.0);
  CHECK(std::isfinite(s2.sigma));
}
