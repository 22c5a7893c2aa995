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
  CHECK(s.ci_low < 4.5);
  CHECK(s.ci_high > 4.5);
  CHECK(s.ci_low > 2.5);  // the mean's interval is far narrower than the data's range
  CHECK(s.ci_high < 6.5);
  // Five values: the middle half [1.25, 3.75] weighs 2 by 0.75, 3 by 1, 4 by 0.75.
  CHECK(return_stats({10, 1, 4, 3, 2}).iqm == Approx(3.0));
  CHECK(return_stats({1, 2, 3, 4, 100, 200}).iqm == Approx((0.5 * 2 + 3 + 4 + 0.5 * 100) / 3.0));
  const ReturnStats c = return_stats({7, 7, 7});
  CHECK(c.ci_low == 7.0);
  CHECK(c.ci_high == 7.0);
  CHECK(return_stats({1, 2, 3}, 9).ci_low == return_stats({1, 2, 3}, 9).ci_low);  // seeded
}
