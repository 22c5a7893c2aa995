// Helpers of the end-to-end tests: run the rlarena binary through the shell and read
// back what it wrote.
#pragma once
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "temp_path.h"

namespace cli_test {

struct Run {
  int code;
  std::string out, err;
};

using rlarena::test::temp_path;

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline Run run_shell(const std::string& command) {
  const std::string out = temp_path("stdout"), err = temp_path("stderr");
  const std::string cmd = command + " >" + out + " 2>" + err;
  const int status = std::system(cmd.c_str());
  Run r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  std::remove(out.c_str());
  std::remove(err.c_str());
  return r;
}

// `text` as one word of a shell command, whatever it holds.
inline std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

inline Run run_rlarena(const std::string& args) { return run_shell(std::string(RLARENA_BIN) + " " + args); }

inline int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

inline std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, sep)) out.push_back(item);
  return out;
}

// A CSV file without the named columns (e.g. wall-clock timings, which no two runs share).
inline std::vector<std::string> csv_without(const std::string& path, const std::vector<std::string>& drop) {
  const auto rows = split(slurp(path), '\n');
  std::vector<bool> keep;
  std::vector<std::string> out;
  for (const auto& row : rows) {
    const auto cells = split(row + ",", ',');  // a trailing empty cell survives the split
    if (keep.empty())
      for (const auto& c : cells) keep.push_back(std::find(drop.begin(), drop.end(), c) == drop.end());
    std::string joined;
    for (size_t i = 0; i < cells.size() && i < keep.size(); ++i)
      if (keep[i]) joined += cells[i] + ",";
    out.push_back(joined);
  }
  return out;
}

}  // namespace cli_test
