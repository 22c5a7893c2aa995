// Evaluation statistics on known numbers.
#include <catch2/catch.hpp>
#include <cmath>

#include "agents/policy/evaluation.h"

using namespace rlarena;

TEST_CASE("Return statistics: mean, std, IQM and a bootstrap interval", "[agents][eval]") {
  const ReturnStats s = return_stats({1, 2, 3, 4, 5, 6, 7, 8}, 3);
  CHECK(s.mean == Approx(4.5));
  CHECK(s.std == Approx(std::sqrt(5.25)));
  CHECK(s.iqm == Approx(4.5));  // mean of 3, 4, 5, 6
  // The bootstrap distribution of the mean has std sigma / sqrt(n) = sqrt(5.25 / 8), and
  // for 8 spread values is close to normal: the 95% interval is 4.5 -+ 1.96 * 0.810.
  CHECK(s.ci_low == Approx(4.5 - 1.96 * std::sqrt(5.25 / 8)).margin(0.15));
  CHECK(s.ci_high == Approx(4.5 + 1.96 * std::sqrt(5.25 / 8)).margin(0.15));
  // Five values: the middle half [1.25, 3.75] weighs 2 by 0.75, 3 by 1, 4 by 0.75.
  CHECK(return_stats({10, 1, 4, 3, 2}).iqm == Approx(3.0));
  CHECK(return_stats({1, 2, 3, 4, 100, 200}).iqm == Approx((0.5 * 2 + 3 + 4 + 0.5 * 100) / 3.0));
  const ReturnStats c = return_stats({7, 7, 7});
  CHECK(c.ci_low == 7.0);
  CHECK(c.ci_high == 7.0);
  // Resamples of {1, 2, 3} are all 1s (or all 3s) with probability 1/27 = 3.7% > 2.5%:
  // the interval's ends are the extreme means exactly.
  const ReturnStats three = return_stats({1, 2, 3}, 9);
  CHECK(three.ci_low == 1.0);
  CHECK(three.ci_high == 3.0);
  // Means of two draws from {0, 1} are 0, 1/2, 1 with probabilities 1/4, 1/2, 1/4.
  const ReturnStats coin = return_stats({0, 1}, 4);
  CHECK(coin.ci_low == 0.0);
  CHECK(coin.ci_high == 1.0);
}
