#include "replay/locate.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <system_error>

#include "common/error.h"

namespace rlarena {

namespace fs = std::filesystem;

std::string minari_root() {
  if (const char* env = std::getenv("MINARI_DATASETS_PATH"); env && *env) return env;
  const char* home = std::getenv("HOME");
  return (fs::path(home && *home ? home : ".") / ".minari" / "datasets").string();
}

bool is_dataset_id(const std::string& id) {
  // Minari's rule: an optional namespace path, a name, and a version suffix.
  static const std::regex form(R"(([A-Za-z0-9_.\-]+/)*[A-Za-z0-9_.\-]+-v[0-9]+)");
  return std::regex_match(id, form) && id.find("..") == std::string::npos;
}

std::string dataset_dir_for_id(const std::string& id) {
  if (!is_dataset_id(id))
    throw Error("dataset id '" + id + "' is not of Minari's form namespace/name-vN; give e.g. cartpole/random-v0");
  return (fs::path(minari_root()) / id).string();
}

std::string locate_dataset(const std::string& path_or_id) {
  std::error_code ec;
  if (fs::exists(path_or_id, ec)) return path_or_id;
  if (is_dataset_id(path_or_id)) {
    const std::string dir = dataset_dir_for_id(path_or_id);
    if (fs::exists(dir, ec)) return dir;
    throw NotFound("dataset '" + path_or_id + "' is neither a file nor a dataset in the Minari root " +
                   minari_root() + " (set by MINARI_DATASETS_PATH); `rlarena dataset list` lists the local ones");
  }
  throw NotFound(path_or_id + ": no such file or directory; give a D4RL .hdf5 file, a Minari dataset directory "
                              "or a Minari dataset id (namespace/name-vN)");
}

std::vector<std::string> local_dataset_ids() {
  std::vector<std::string> ids;
  const fs::path root = minari_root();
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return ids;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (!it->is_directory(ec)) continue;
    if (fs::exists(it->path() / "data" / "metadata.json", ec)) {
      ids.push_back(fs::relative(it->path(), root, ec).generic_string());
      it.disable_recursion_pending();  // a dataset's own folders hold no datasets
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace rlarena
