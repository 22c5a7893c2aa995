#include "replay/dataset.h"

#include <filesystem>

#include "common/error.h"
#include "replay/minari.h"

namespace rlarena {

namespace {

namespace fs = std::filesystem;

// A directory is a Minari dataset; anything else a D4RL file.
bool exists_as_minari(const std::string& path) {
  if (!fs::exists(path))
    throw Error(path + ": no such file or directory; give a D4RL .hdf5 file or a Minari dataset directory");
  return fs::is_directory(path);
}

}  // namespace

std::unique_ptr<ReplayStore> read_dataset(const std::string& path, Metadata* metadata) {
  if (!exists_as_minari(path)) return read_d4rl(path, 0, -1, metadata);
  MinariInfo info;
  auto store = read_minari(path, &info);
  if (metadata) {
    (*metadata)["dataset_id"] = info.dataset_id;
    if (!info.env_id.empty()) (*metadata)["env_id"] = info.env_id;
  }
  return store;
}

DatasetSummary summarize_dataset(const std::string& path) {
  return exists_as_minari(path) ? summarize_minari(path) : summarize_d4rl(path);
}

}  // namespace rlarena
