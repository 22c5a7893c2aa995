// same_state: what scripts/bench/kill_storm.sh compares after its kills.
//   same_state checkpoint A.h5 B.h5   every array of two checkpoints equal (but the wall
//                                     clock and torch's optimizer archives, whose bytes
//                                     name tensor addresses; equal metrics show their state)
//   same_state prefix A.hdf5 B.hdf5   A's steps are B's first steps, value for value
// Prints what differs and exits 1, or exits 0.
#include <cstdio>
#include <cstring>
#include <string>

#include "common/error.h"
#include "common/state_file.h"
#include "replay/d4rl.h"

using namespace rlarena;

namespace {

int checkpoints(const std::string& a, const std::string& b) {
  const StateMap x = load_state_file(a), y = load_state_file(b);
  const auto compared = [](const std::string& key) {
    return key != "run/wall_s" && key.find("opt") == std::string::npos;
  };
  int differ = 0, same = 0;
  for (const auto& [key, bytes] : x) {
    if (!compared(key)) continue;
    const auto it = y.find(key);
    if (it == y.end() || it->second != bytes) std::printf("differs: %s\n", key.c_str()), ++differ;
    else ++same;
  }
  for (const auto& [key, bytes] : y)
    if (compared(key) && !x.count(key)) std::printf("only in %s: %s\n", b.c_str(), key.c_str()), ++differ;
  std::printf("%d arrays equal, %d differ\n", same, differ);
  return differ ? 1 : 0;
}

int prefix(const std::string& a, const std::string& b) {
  const auto x = read_d4rl(a), y = read_d4rl(b);
  const auto rx = x->rows_by_episode(), ry = y->rows_by_episode();
  if (rx.size() > ry.size()) return std::printf("%s has more steps than %s\n", a.c_str(), b.c_str()), 1;
  for (size_t i = 0; i < rx.size(); ++i) {
    const int64_t r = rx[i], s = ry[i];
    // A step that ended an episode in B may be the last, still open step in A.
    const bool same = std::memcmp(x->obs(r), y->obs(s), x->obs_bytes()) == 0 &&
                      std::memcmp(x->action(r), y->action(s), x->action_bytes()) == 0 &&
                      x->reward(r) == y->reward(s) && x->terminated(r) == y->terminated(s);
    if (!same) return std::printf("step %zu differs\n", i), 1;
  }
  std::printf("%zu steps, the first %zu of %s\n", rx.size(), rx.size(), b.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc == 4 && std::string(argv[1]) == "checkpoint") return checkpoints(argv[2], argv[3]);
    if (argc == 4 && std::string(argv[1]) == "prefix") return prefix(argv[2], argv[3]);
  } catch (const Error& e) {
    std::fprintf(stderr, "same_state: %s\n", e.what());
    return 2;
  }
  std::fprintf(stderr, "usage: same_state checkpoint A.h5 B.h5 | same_state prefix A.hdf5 B.hdf5\n");
  return 2;
}
