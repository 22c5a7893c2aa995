// rlarena plot RUN_DIR... --out FILE: learning curves drawn by gnuplot; runs of one
// algorithm and env (seeds) are shown as their mean with a min-max band.
#include <cstdio>

#include "agents/run/plot.h"
#include "cli/options.h"

namespace rlarena::cli {

int cmd_plot(const Args& args) {
  po::options_description options("plot options");
  options.add_options()("runs", po::value<std::vector<std::string>>()->required()->multitoken(), "run directories")(
      "out", po::value<OutPath>()->required(), "output .png or .svg")(
      "title", po::value<std::string>()->default_value("episodic return"), "plot title")(
      "metric", po::value<std::string>()->default_value(""),
      "a column of metrics.csv or evals.csv to plot instead of the return (e.g. value_loss, evals:mean)");
  po::positional_options_description positional;
  positional.add("runs", -1);
  po::variables_map vm;
  if (!parse("plot", "RUN_DIR... --out FILE.png|svg [--title T] [--metric NAME]", args, options, positional, vm))
    return 0;
  const auto runs = vm["runs"].as<std::vector<std::string>>();
  const std::string out = vm["out"].as<OutPath>().value;
  plot_runs(runs, out, vm["title"].as<std::string>(), vm["metric"].as<std::string>());
  std::printf("%s: %zu runs\n", out.c_str(), runs.size());
  return 0;
}

}  // namespace rlarena::cli
