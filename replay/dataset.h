// Datasets by path or Minari id, whatever their layout: a D4RL .hdf5 file or a Minari dataset
// directory, read into a ReplayStore or summarized.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "replay/d4rl.h"
#include "replay/store.h"

namespace rlarena {

// The store of the dataset at a path or Minari id (replay/locate.h), with its
// metadata (Minari's dataset_id and env_id go into `metadata` too) when asked.
std::unique_ptr<ReplayStore> read_dataset(const std::string& path_or_id, Metadata* metadata = nullptr);
DatasetSummary summarize_dataset(const std::string& path_or_id);

// Several datasets of one env in one D4RL file at `out` (D4RL's medium-expert): their
// steps episode by episode, the first one's metadata without what names a single policy,
// merged_from, and `extra` on top. Datasets of other envs or shapes are refused.
struct MergeResult {
  int64_t steps = 0, episodes = 0;
};
MergeResult merge_datasets(const std::vector<std::string>& inputs, const std::string& out, const Metadata& extra);

}  // namespace rlarena
