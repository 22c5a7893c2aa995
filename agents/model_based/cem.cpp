#include "agents/model_based/cem.h"

#include "agents/common/distributions.h"
#include "common/error.h"

namespace rlarena {

torch::Tensor elite_rows(const torch::Tensor& values, int64_t elites) {
  const torch::Tensor threshold = std::get<0>(values.topk(elites)).select(0, elites - 1);
  return torch::nonzero(values >= threshold).squeeze(1);
}

torch::Tensor cem_optimize(const std::function<torch::Tensor(const torch::Tensor&)>& returns,
                           const torch::Tensor& initial, const torch::Tensor& low, const torch::Tensor& high,
                           const CemOptions& o, Rng& rng) {
  if (o.population < 1 || o.elites < 1 || o.elites > o.population || o.iterations < 1)
    throw Error("cem: give 1 <= elites <= population and iterations >= 1");
  torch::NoGradGuard no_grad;
  torch::Tensor mean = initial.clone();
  const torch::Tensor range = (high - low).expand_as(mean);
  torch::Tensor var = o.initial_std > 0 ? torch::full_like(mean, o.initial_std * o.initial_std)
                                        : (range / 4).pow(2);
  for (int64_t it = 0; it < o.iterations; ++it) {
    // Truncated at two standard deviations and at the bounds, as MBRL-Lib's.
    const torch::Tensor lb = mean - low, ub = high - mean;
    const torch::Tensor std = torch::sqrt(torch::minimum(torch::minimum((lb / 2).pow(2), (ub / 2).pow(2)), var));
    torch::Tensor noise = normal_noise(rng, {o.population, mean.size(0), mean.size(1)}).clamp(-2, 2);
    const torch::Tensor population = (mean.unsqueeze(0) + std.unsqueeze(0) * noise).clamp(low, high);
    const torch::Tensor values = returns(population);
    const torch::Tensor elite = population.index_select(0, elite_rows(values, o.elites));
    const torch::Tensor new_mean = elite.mean(0), new_var = elite.var(0, /*unbiased=*/false);
    mean = o.alpha * mean + (1 - o.alpha) * new_mean;
    var = o.alpha * var + (1 - o.alpha) * new_var;
  }
  return mean;
}

}  // namespace rlarena
