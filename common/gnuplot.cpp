#include "common/gnuplot.h"

#include <unistd.h>

#include <filesystem>

#include "common/error.h"
#include "common/subprocess.h"

namespace rlarena {

namespace fs = std::filesystem;

std::string gnuplot_string(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += "''";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out + "'";
}

void gnuplot_draw(const std::string& out, int width, int height, const std::string& script) {
  const std::string ext = fs::path(out).extension().string();
  if (ext != ".png" && ext != ".svg") throw Error(out + ": give a .png or .svg file");
  const std::string size = std::to_string(width) + "," + std::to_string(height);
  const std::string tmp_out = out + ".tmp" + std::to_string(getpid()) + ext;
  const std::string head = (ext == ".png" ? "set terminal pngcairo size " : "set terminal svg size ") + size +
                           " font 'sans,11' noenhanced\nset output " + gnuplot_string(tmp_out) + "\n";
  Subprocess gnuplot({"gnuplot"}, "install gnuplot-nox (scripts/setup.sh does)");
  gnuplot.write(head + script);
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
