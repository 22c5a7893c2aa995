// Learning curves of runs: the mean return of the last 20 episodes (or `metric`, any
// column of metrics.csv or evals.csv) against env steps, drawn by gnuplot (Debian's
// gnuplot-nox) into a .png or .svg; offline runs default to their evaluation return
// against gradient steps. Runs with the same algo and env are one curve: the mean over
// their seeds, with a band from the lowest to the highest.
#pragma once
#include <string>
#include <vector>

namespace rlarena {

void plot_runs(const std::vector<std::string>& run_dirs, const std::string& out, const std::string& title,
               const std::string& metric = "");

}  // namespace rlarena
