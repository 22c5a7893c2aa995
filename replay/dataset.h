// Datasets by path or Minari id, whatever their layout: a D4RL .hdf5 file or a Minari dataset
// directory, read into a ReplayStore or summarized.
#pragma once
#include <memory>
#include <string>

#include "replay/d4rl.h"
#include "replay/store.h"

namespace rlarena {

// The store of the dataset at a path or Minari id (replay/locate.h), with its
// metadata (Minari's dataset_id and env_id go into `metadata` too) when asked.
std::unique_ptr<ReplayStore> read_dataset(const std::string& path_or_id, Metadata* metadata = nullptr);
DatasetSummary summarize_dataset(const std::string& path_or_id);

}  // namespace rlarena
