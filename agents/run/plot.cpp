#include "agents/run/plot.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "agents/common/recipe.h"
#include "agents/common/run_dir.h"
#include "common/error.h"

namespace rlarena {

namespace fs = std::filesystem;

namespace {

struct Curve {
  std::vector<double> steps, returns;  // smoothed episodic return at each metrics row
};

// The curve from episodes.csv: at each finished episode, the mean return of the last
// 20 episodes (the figure learn.sh and CleanRL-style logs report).
Curve read_curve(const std::string& run) {
  std::ifstream in(RunDir{run}.episodes());
  if (!in) throw Error(run + ": no episodes.csv; give run directories made by rlarena train");
  std::string line;
  std::getline(in, line);
  if (line.rfind("global_step,wall_s,return,length", 0) != 0)
    throw Error(run + "/episodes.csv does not start with global_step,wall_s,return,length");
  Curve c;
  std::deque<double> recent;
  const size_t window = 20;
  double sum = 0;
  while (std::getline(in, line)) {
    std::stringstream ls(line);
    std::string step, wall, ret;
    std::getline(ls, step, ','), std::getline(ls, wall, ','), std::getline(ls, ret, ',');
    recent.push_back(std::stod(ret));
    sum += recent.back();
    if (recent.size() > window) sum -= recent.front(), recent.pop_front();
    c.steps.push_back(std::stod(step));
    c.returns.push_back(sum / recent.size());
  }
  return c;
}

double value_at(const Curve& c, double step) {
  if (c.steps.empty()) return NAN;
  if (step <= c.steps.front()) return c.returns.front();
  if (step >= c.steps.back()) return c.returns.back();
  const size_t i = std::upper_bound(c.steps.begin(), c.steps.end(), step) - c.steps.begin();
  const double f = (step - c.steps[i - 1]) / (c.steps[i] - c.steps[i - 1]);
  return c.returns[i - 1] + f * (c.returns[i] - c.returns[i - 1]);
}

}  // namespace

void plot_runs(const std::vector<std::string>& runs, const std::string& out, const std::string& title) {
  const std::string ext = fs::path(out).extension().string();
  if (ext != ".png" && ext != ".svg") throw Error("--out " + out + ": give a .png or .svg file");
  // Group runs by algorithm and env (seeds of one recipe).
  std::map<std::string, std::vector<Curve>> groups;
  for (const auto& run : runs) {
    std::ifstream cfg(RunDir{run}.config());
    if (!cfg) throw Error(run + ": no config.cfg; give run directories made by rlarena train");
    const std::string text((std::istreambuf_iterator<char>(cfg)), std::istreambuf_iterator<char>());
    const RawConfig raw = read_config(text, RunDir{run}.config());
    const std::string label = (raw.count("algo") ? raw.at("algo").back() : "?") + " " +
                              (raw.count("env") ? raw.at("env").back() : "?");
    Curve c = read_curve(run);
    if (c.steps.empty()) throw Error(run + ": no finished episodes in episodes.csv yet; nothing to plot");
    groups[label].push_back(std::move(c));
  }
  const std::string dir = fs::temp_directory_path() / ("rlarena_plot_" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::string script = (ext == ".png" ? "set terminal pngcairo size 960,600 font 'sans,11'\n"
                                      : "set terminal svg size 960,600 font 'sans,11'\n");
  const std::string tmp_out = out + ".tmp" + ext;
  script += "set output '" + tmp_out + "'\nset key left top\nset grid\nset autoscale xfix\nset xlabel 'env steps'\n"
            "set ylabel 'episodic return'\nset title '" + title + "'\nplot ";
  int index = 0;
  for (const auto& [label, curves] : groups) {
    double end = 1e300;
    for (const auto& c : curves) end = std::min(end, c.steps.back());
    const std::string data = dir + "/g" + std::to_string(index) + ".dat";
    std::ofstream f(data);
    const int points = 200;
    for (int k = 0; k <= points; ++k) {
      const double step = end * k / points;
      double sum = 0, lo = 1e300, hi = -1e300;
      for (const auto& c : curves) {
        const double v = value_at(c, step);
        sum += v, lo = std::min(lo, v), hi = std::max(hi, v);
      }
      f << step << " " << sum / curves.size() << " " << lo << " " << hi << "\n";
    }
    const std::string color = std::to_string(index + 1);
    const std::string name = label + (curves.size() > 1 ? " (" + std::to_string(curves.size()) + " seeds)" : "");
    if (index) script += ", ";
    if (curves.size() > 1)
      script += "'" + data + "' using 1:3:4 with filledcurves fs transparent solid 0.2 lc " + color + " notitle, ";
    script += "'" + data + "' using 1:2 with lines lw 2 lc " + color + " title '" + name + "'";
    ++index;
  }
  script += "\n";
  FILE* gp = popen("gnuplot 2>&1", "w");
  if (!gp) throw Error("cannot run gnuplot; install it (scripts/setup.sh does: gnuplot-nox)");
  std::fputs(script.c_str(), gp);
  const int status = pclose(gp);
  fs::remove_all(dir);
  if (status != 0 || !fs::exists(tmp_out))
    throw Error("gnuplot failed to draw " + out + " (is gnuplot-nox installed? scripts/setup.sh installs it)");
  fs::rename(tmp_out, out);
}

}  // namespace rlarena
