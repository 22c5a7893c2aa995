// Closest names: what a mistyped id, key or option most likely meant, for errors
// that suggest a few names instead of listing them all.
#pragma once
#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

namespace rlarena {

// Levenshtein distance, ignoring case.
inline size_t edit_distance(const std::string& a, const std::string& b) {
  auto low = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (low(a[i - 1]) != low(b[j - 1]))});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// The `count` candidates closest to `name`, best first (ties in the candidates' order).
inline std::vector<std::string> closest_names(const std::string& name, const std::vector<std::string>& candidates,
                                              size_t count = 3) {
  std::vector<std::pair<size_t, size_t>> scored;  // distance, index
  for (size_t i = 0; i < candidates.size(); ++i) scored.emplace_back(edit_distance(name, candidates[i]), i);
  std::stable_sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < scored.size() && i < count; ++i) out.push_back(candidates[scored[i].second]);
  return out;
}

// "a, b or c"
inline std::string or_list(const std::vector<std::string>& names, const std::string& prefix = "") {
  std::string s;
  for (size_t i = 0; i < names.size(); ++i)
    s += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + prefix + names[i];
  return s;
}

}  // namespace rlarena
