// Running normalizers of observations and rewards (Gymnasium's NormalizeObservation
// and NormalizeReward, as CleanRL and SB3 use them), kept by the agent so that their
// statistics go into checkpoints (CleanRL's wrappers lose them).
#pragma once
#include <cstdint>
#include <vector>

namespace rlarena {

// Whether normalizing also counts the values into the running statistics (training)
// or leaves them as they are (acting, evaluation).
enum class Statistics { Update, Keep };

// Mean and variance of a stream of vectors (Chan et al.'s parallel update).
class RunningMeanStd {
 public:
  explicit RunningMeanStd(int64_t dim);
  void update(const float* batch, int64_t rows);  // [rows, dim]
  const std::vector<double>& mean() const { return mean_; }
  const std::vector<double>& var() const { return var_; }
  double count() const { return count_; }
  // mean ++ var ++ count, for checkpoints.
  std::vector<double> state() const;
  void set_state(const std::vector<double>& state);

 private:
  std::vector<double> mean_, var_;
  double count_ = 1e-4;  // Gymnasium's epsilon start
};

class ObservationNormalizer {
 public:
  explicit ObservationNormalizer(int64_t dim, double clip = 10.0, double epsilon = 1e-8);
  // Counts `obs` [rows, dim] into the statistics when asked, then normalizes in place:
  // clip((x - mean) / sqrt(var + epsilon), -clip, clip).
  void normalize(float* obs, int64_t rows, Statistics statistics);
  RunningMeanStd& stats() { return rms_; }
  const RunningMeanStd& stats() const { return rms_; }

 private:
  RunningMeanStd rms_;
  double clip_, epsilon_;
};

// Scales rewards by the running standard deviation of the discounted return.
class RewardNormalizer {
 public:
  RewardNormalizer(int64_t envs, double gamma, double epsilon = 1e-8);
  // rewards [envs] in place; `terminated` resets an env's discounted return.
  void normalize(double* rewards, const uint8_t* terminated, Statistics statistics);
  RunningMeanStd& stats() { return rms_; }
  const std::vector<double>& returns() const { return returns_; }
  void set_returns(const std::vector<double>& returns) { returns_ = returns; }

 private:
  RunningMeanStd rms_;
  std::vector<double> returns_;
  double gamma_, epsilon_;
};

}  // namespace rlarena
