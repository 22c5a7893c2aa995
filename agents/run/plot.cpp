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
#include "common/subprocess.h"

namespace rlarena {

namespace fs = std::filesystem;

namespace {

// `text` as a gnuplot string: in single quotes only a doubled quote is special, so
// nothing in it can end the string or start a command. Line ends become spaces.
std::string gnuplot_string(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += "''";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out + "'";
}

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
  const std::string file = RunDir{run}.episodes();
  for (int lineno = 2; std::getline(in, line); ++lineno) {
    std::vector<std::string> cells;
    std::stringstream ls(line + ",");  // a trailing empty cell counts too
    for (std::string cell; std::getline(ls, cell, ',');) cells.push_back(cell);
    if (cells.size() != 4)
      throw Error(file + " line " + std::to_string(lineno) + ": " + std::to_string(cells.size()) +
                  " columns; rows are global_step,wall_s,return,length (the file is damaged)");
    const std::string &step = cells[0], &wall = cells[1], &ret = cells[2], &length = cells[3];
    const auto number = [&](const std::string& cell, const char* column) {
      char* end = nullptr;
      const double v = std::strtod(cell.c_str(), &end);
      if (cell.empty() || *end != '\0' || !std::isfinite(v))
        throw Error(file + " line " + std::to_string(lineno) + ": " + column + " '" + cell.substr(0, 40) +
                    "' is not a number; the file is damaged (rows are global_step,wall_s,return,length)");
      return v;
    };
    const double x = number(step, "global_step"), y = number(ret, "return");
    number(wall, "wall_s"), number(length, "length");
    if (!c.steps.empty() && x < c.steps.back())
      throw Error(file + " line " + std::to_string(lineno) + ": global_step " + step +
                  " goes back; the file is damaged");
    recent.push_back(y);
    sum += y;
    if (recent.size() > window) sum -= recent.front(), recent.pop_front();
    c.steps.push_back(x);
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
  // The curves go to gnuplot inline (data blocks), the texts as quoted strings: no
  // shell and no temporary files, whatever the titles and paths hold.
  const std::string tmp_out = out + ".tmp" + std::to_string(getpid()) + ext;
  std::string script = (ext == ".png" ? "set terminal pngcairo size 960,600 font 'sans,11' noenhanced\n"
                                      : "set terminal svg size 960,600 font 'sans,11' noenhanced\n");
  script += "set output " + gnuplot_string(tmp_out) +
            "\nset key left top noenhanced\nset grid\nset autoscale xfix\nset xlabel 'env steps'\n"
            "set ylabel 'episodic return'\nset title " + gnuplot_string(title) + " noenhanced\n";
  std::string plot = "plot ";
  int index = 0;
  for (const auto& [label, curves] : groups) {
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
    const std::string name = label + (curves.size() > 1 ? " (" + std::to_string(curves.size()) + " seeds)" : "");
    if (index) plot += ", ";
    if (curves.size() > 1)
      plot += block + " using 1:3:4 with filledcurves fs transparent solid 0.2 lc " + color + " notitle, ";
    plot += block + " using 1:2 with lines lw 2 lc " + color + " title " + gnuplot_string(name);
    ++index;
  }
  script += plot + "\n";
  Subprocess gnuplot({"gnuplot"}, "install gnuplot-nox (scripts/setup.sh does)");
  gnuplot.write(script);
  std::string said;
  const int status = gnuplot.finish(&said);
  std::error_code ec;
  if (status != 0 || !fs::exists(tmp_out)) {
    fs::remove(tmp_out, ec);
    throw Error("gnuplot failed to draw " + out + " (" + Subprocess::last_line(said) + ")");
  }
  fs::rename(tmp_out, out, ec);
  if (ec) {
    fs::remove(tmp_out, ec);
    throw Error("cannot write " + out + " (" + ec.message() + "); check that its folder exists and is writable");
  }
}

}  // namespace rlarena
