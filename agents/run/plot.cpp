#include "agents/run/plot.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "agents/common/recipe.h"
#include "agents/common/run_dir.h"
#include "common/closest.h"
#include "common/error.h"
#include "common/gnuplot.h"

namespace rlarena {

namespace fs = std::filesystem;

namespace {

struct Curve {
  std::vector<double> steps, values;  // a value at each of some env steps, steps not decreasing
};

// A cell of `file` as a number; garbage names the file, line and column.
double number_in(const std::string& cell, const std::string& file, int lineno, const std::string& column,
                 const std::string& rows, bool nan_ok) {
  char* end = nullptr;
  const double v = std::strtod(cell.c_str(), &end);
  if (cell.empty() || *end != '\0' || (!nan_ok && !std::isfinite(v)))
    throw Error(file + " line " + std::to_string(lineno) + ": " + column + " '" + cell.substr(0, 40) +
                "' is not a number; the file is damaged (rows are " + rows + ")");
  return v;
}

std::vector<std::string> cells_of(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream ls(line + ",");  // a trailing empty cell counts too
  for (std::string cell; std::getline(ls, cell, ',');) cells.push_back(cell);
  return cells;
}

// The default curve, from episodes.csv: at each finished episode, the mean return of
// the last 20 episodes (the figure learn.sh and CleanRL-style logs report).
Curve read_return_curve(const std::string& run) {
  std::ifstream in(RunDir{run}.episodes());
  if (!in) throw Error(run + ": no episodes.csv; give run directories made by rlarena train");
  std::string line;
  std::getline(in, line);
  const std::string rows = "global_step,wall_s,return,length";
  if (line.rfind(rows, 0) != 0) throw Error(run + "/episodes.csv does not start with " + rows);
  Curve c;
  std::deque<double> recent;
  const size_t window = 20;
  double sum = 0;
  const std::string file = RunDir{run}.episodes();
  for (int lineno = 2; std::getline(in, line); ++lineno) {
    const auto cells = cells_of(line);
    if (cells.size() != 4)
      throw Error(file + " line " + std::to_string(lineno) + ": " + std::to_string(cells.size()) + " columns; rows are " +
                  rows + " (the file is damaged)");
    const double x = number_in(cells[0], file, lineno, "global_step", rows, false);
    const double y = number_in(cells[2], file, lineno, "return", rows, false);
    number_in(cells[1], file, lineno, "wall_s", rows, false), number_in(cells[3], file, lineno, "length", rows, false);
    if (!c.steps.empty() && x < c.steps.back())
      throw Error(file + " line " + std::to_string(lineno) + ": global_step " + cells[0] + " goes back; the file is damaged");
    recent.push_back(y);
    sum += y;
    if (recent.size() > window) sum -= recent.front(), recent.pop_front();
    c.steps.push_back(x);
    c.values.push_back(sum / recent.size());
  }
  return c;
}

// A column of metrics.csv (or, when metrics.csv has no such column, of evals.csv)
// against global_step; "evals:NAME" or "metrics:NAME" picks the file. NaN cells (nothing
// learned yet) are left out. Returns the file the column came from in `from`.
Curve read_metric_curve(const std::string& run, const std::string& metric, std::string& from) {
  const RunDir dir{run};
  std::string name = metric;
  std::vector<std::string> files = {dir.metrics(), dir.evals()};
  if (metric.rfind("evals:", 0) == 0) files = {dir.evals()}, name = metric.substr(6);
  else if (metric.rfind("metrics:", 0) == 0) files = {dir.metrics()}, name = metric.substr(8);
  std::vector<std::string> known;
  for (const auto& file : files) {
    std::ifstream in(file);
    if (!in) continue;
    std::string line;
    std::getline(in, line);
    const auto header = cells_of(line);
    const auto at = std::find(header.begin(), header.end(), name);
    if (at == header.end() || header.empty() || header[0] != "global_step") {
      known.insert(known.end(), header.begin(), header.end());
      continue;
    }
    const size_t column = static_cast<size_t>(at - header.begin());
    Curve c;
    for (int lineno = 2; std::getline(in, line); ++lineno) {
      const auto cells = cells_of(line);
      if (cells.size() != header.size())
        throw Error(file + " line " + std::to_string(lineno) + ": " + std::to_string(cells.size()) + " columns, but " +
                    std::to_string(header.size()) + " in its header; the file is damaged");
      const double x = number_in(cells[0], file, lineno, "global_step", "as its header says", false);
      const double y = number_in(cells[column], file, lineno, name, "as its header says", true);
      if (!c.steps.empty() && x < c.steps.back())
        throw Error(file + " line " + std::to_string(lineno) + ": global_step " + cells[0] + " goes back; the file is damaged");
      if (std::isnan(y)) continue;
      c.steps.push_back(x);
      c.values.push_back(y);
    }
    from = fs::path(file).filename().string();
    return c;
  }
  known.erase(std::remove(known.begin(), known.end(), "global_step"), known.end());
  std::sort(known.begin(), known.end());
  known.erase(std::unique(known.begin(), known.end()), known.end());
  throw Error("--metric " + metric + ": " + run + " has no such column in metrics.csv or evals.csv; did you mean " +
              or_list(closest_names(name, known)) + "?");
}

double value_at(const Curve& c, double step) {
  if (c.steps.empty()) return NAN;
  if (step <= c.steps.front()) return c.values.front();
  if (step >= c.steps.back()) return c.values.back();
  const size_t i = std::upper_bound(c.steps.begin(), c.steps.end(), step) - c.steps.begin();
  const double f = (step - c.steps[i - 1]) / (c.steps[i] - c.steps[i - 1]);
  return c.values[i - 1] + f * (c.values[i] - c.values[i - 1]);
}

// The runs of one algorithm on one env: their curves and how many distinct seeds.
struct Group {
  std::vector<Curve> curves;
  std::set<std::string> seeds;
};

}  // namespace

void plot_runs(const std::vector<std::string>& runs, const std::string& out, const std::string& title,
               const std::string& metric) {
  const std::string ext = fs::path(out).extension().string();
  if (ext != ".png" && ext != ".svg") throw Error("--out " + out + ": give a .png or .svg file");
  std::vector<RawConfig> configs;
  for (const auto& run : runs) {
    std::ifstream cfg(RunDir{run}.config());
    if (!cfg) throw Error(run + ": no config.cfg; give run directories made by rlarena train");
    const std::string text((std::istreambuf_iterator<char>(cfg)), std::istreambuf_iterator<char>());
    configs.push_back(read_config(text, RunDir{run}.config()));
  }
  const auto value = [](const RawConfig& raw, const std::string& key, const std::string& otherwise = "") {
    return raw.count(key) ? raw.at(key).back() : otherwise;
  };
  // Offline runs finish no training episodes (global_step counts gradient steps until
  // an online phase), so their default curve is the evaluation return.
  const bool offline = std::all_of(configs.begin(), configs.end(), [&](const RawConfig& raw) {
    return !value(raw, "dataset").empty();
  });
  const bool online_phase = std::any_of(configs.begin(), configs.end(), [&](const RawConfig& raw) {
    const std::string n = value(raw, "online_steps");
    return !n.empty() && n != "0";
  });
  const std::string shown = metric.empty() && offline ? "evals:mean" : metric;
  // Group runs by algorithm and env (seeds of one recipe).
  std::map<std::string, Group> groups;
  std::string from;
  for (size_t i = 0; i < runs.size(); ++i) {
    const RawConfig& raw = configs[i];
    const std::string label = value(raw, "algo", "?") + " " + value(raw, "env", "?");
    Curve c = shown.empty() ? read_return_curve(runs[i]) : read_metric_curve(runs[i], shown, from);
    if (c.steps.empty())
      throw Error(runs[i] +
                  (shown.empty() ? ": no finished episodes in episodes.csv yet"
                                 : ": no values of " + shown + " yet" + (metric.empty() ? " (an offline run's evaluations)" : "")) +
                  "; nothing to plot");
    groups[label].curves.push_back(std::move(c));
    groups[label].seeds.insert(value(raw, "seed", runs[i]));
  }
  const std::string ylabel = shown.empty()                     ? "mean return, last 20 episodes"
                             : metric.empty()                  ? "evaluation return, mean (evals.csv)"
                                                               : metric + " (" + from + ")";
  const std::string xlabel = !offline ? "env steps" : online_phase ? "gradient steps, then env steps online" : "gradient steps";
  // The curves go to gnuplot inline (data blocks), the texts as quoted strings: no
  // shell and no temporary files, whatever the titles and paths hold.
  std::string script =
      "set key left top noenhanced\nset grid\nset autoscale xfix\nset xlabel " + gnuplot_string(xlabel) +
      "\nset ylabel " + gnuplot_string(ylabel) + "\nset title " + gnuplot_string(title) + " noenhanced\n";
  std::string plot = "plot ";
  int index = 0;
  for (const auto& [label, group] : groups) {
    const std::vector<Curve>& curves = group.curves;
    double end = 1e300;
    for (const auto& c : curves) end = std::min(end, c.steps.back());
    const std::string block = "$g" + std::to_string(index);
    std::ostringstream data;
    data << block << " << EOD\n";
    const int points = 200;
    for (int k = 0; k <= points; ++k) {
      const double step = end * k / points;
      double sum = 0, lo = 1e300, hi = -1e300;
      for (const auto& c : curves) {
        const double v = value_at(c, step);
        sum += v, lo = std::min(lo, v), hi = std::max(hi, v);
      }
      data << step << " " << sum / curves.size() << " " << lo << " " << hi << "\n";
    }
    data << "EOD\n";
    script += data.str();
    const std::string color = std::to_string(index + 1);
    // Seeds are counted as distinct seeds: two runs of one seed are one seed twice.
    const size_t seeds = group.seeds.size();
    std::string name = label;
    if (curves.size() > 1)
      name += seeds == curves.size() ? " (mean of " + std::to_string(seeds) + " seeds)"
                                     : " (mean of " + std::to_string(curves.size()) + " runs, " +
                                           std::to_string(seeds) + (seeds == 1 ? " seed)" : " seeds)");
    if (index) plot += ", ";
    if (curves.size() > 1)
      plot += block + " using 1:3:4 with filledcurves fs transparent solid 0.2 lc " + color + " title " +
              gnuplot_string("min-max over " + std::to_string(curves.size()) + (seeds == curves.size() ? " seeds" : " runs")) +
              ", ";
    plot += block + " using 1:2 with lines lw 2 lc " + color + " title " + gnuplot_string(name);
    ++index;
  }
  script += plot + "\n";
  gnuplot_draw(out, 960, 600, script);
}

}  // namespace rlarena
