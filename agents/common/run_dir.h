// A run directory's files: what `rlarena train` writes and eval, plot, render,
// rollout and dataset collect read.
#pragma once
#include <string>

namespace rlarena {

struct RunDir {
  std::string path;
  std::string config() const { return path + "/config.cfg"; }      // the fully resolved recipe
  std::string metrics() const { return path + "/metrics.csv"; }    // one row per iteration
  std::string episodes() const { return path + "/episodes.csv"; }  // one row per finished episode
  std::string evals() const { return path + "/evals.csv"; }        // one row per evaluation
  std::string checkpoints() const { return path + "/checkpoints"; }
  std::string checkpoint() const { return checkpoints() + "/latest.h5"; }
  std::string best() const { return checkpoints() + "/best.h5"; }  // the best evaluation so far
  std::string videos() const { return path + "/videos"; }
  std::string eval() const { return path + "/eval.json"; }  // the final evaluation
  std::string curve() const { return path + "/curve.png"; }
  std::string buffer() const { return path + "/buffer.hdf5"; }
};

}  // namespace rlarena
