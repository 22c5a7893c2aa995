#include "replay/dataset.h"

#include <filesystem>

#include "common/error.h"
#include "replay/locate.h"
#include "replay/minari.h"

namespace rlarena {

namespace {

namespace fs = std::filesystem;

// A directory is a Minari dataset; anything else a D4RL file.
bool is_minari_dir(const std::string& path) { return fs::is_directory(path); }

}  // namespace

std::unique_ptr<ReplayStore> read_dataset(const std::string& path_or_id, Metadata* metadata) {
  const std::string path = locate_dataset(path_or_id);
  if (!is_minari_dir(path)) return read_d4rl(path, 0, -1, metadata);
  MinariInfo info;
  auto store = read_minari(path, &info);
  if (metadata) {
    (*metadata)["dataset_id"] = info.dataset_id;
    if (!info.env_id.empty()) (*metadata)["env_id"] = info.env_id;
    // metadata.json's own keys too: ref_min_score/ref_max_score, algorithm_name, author, ...
    for (const auto& [key, value] : minari_metadata(path)) metadata->emplace(key, value);
  }
  return store;
}

DatasetSummary summarize_dataset(const std::string& path_or_id) {
  const std::string path = locate_dataset(path_or_id);
  return is_minari_dir(path) ? summarize_minari(path) : summarize_d4rl(path);
}

}  // namespace rlarena
