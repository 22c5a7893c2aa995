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

MergeResult merge_datasets(const std::vector<std::string>& inputs, const std::string& out, const Metadata& extra) {
  std::vector<std::unique_ptr<ReplayStore>> stores;
  Metadata metadata;
  MergeResult r;
  for (const auto& in : inputs) {
    Metadata m;
    stores.push_back(read_dataset(in, &m));
    if (stores.size() == 1) metadata = m;
    else if (m.count("env_id") && metadata.count("env_id") && m["env_id"] != metadata["env_id"])
      throw Error(in + " was recorded on " + m["env_id"] + ", " + inputs[0] + " on " + metadata["env_id"] +
                  "; merge datasets of one env");
    r.steps += stores.back()->closed();
  }
  ReplayStore merged(stores[0]->observation_space(), stores[0]->action_space(), r.steps);
  std::string sources;
  for (size_t i = 0; i < stores.size(); ++i) {
    if (stores[i]->obs_bytes() != merged.obs_bytes() || stores[i]->action_bytes() != merged.action_bytes())
      throw Error(inputs[i] + " has other observation or action shapes than " + inputs[0] + "; merge datasets of one env");
    r.episodes += copy_steps(*stores[i], merged, r.episodes);
    sources += (sources.empty() ? "" : ",") + inputs[i];
  }
  for (const char* key : {"policy", "algorithm_name", "seed", "num_envs", "ref_min_score", "ref_max_score"})
    metadata.erase(key);
  metadata["merged_from"] = sources;
  for (const auto& [key, value] : extra) metadata[key] = value;
  write_d4rl(merged, out, metadata);
  return r;
}

}  // namespace rlarena
