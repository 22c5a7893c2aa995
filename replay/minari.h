// Minari's dataset layout (Minari 0.5): <root>/<dataset_id>/data/main_data.hdf5
// with one group episode_{i} per episode (observations: T+1 rows, actions,
// rewards, terminations, truncations: T rows, infos/; attributes id, total_steps
// and seed when known), and data/metadata.json (dataset_id, total_episodes,
// total_steps, data_format, minari_version, observation_space and action_space
// in Minari's JSON space encoding, env_spec as Gymnasium's EnvSpec JSON).
// Import reads Box observations and Box or Discrete actions; export writes a
// directory Minari 0.5.3 loads, to a temporary name renamed when complete.
#pragma once
#include <memory>
#include <string>

#include "replay/d4rl.h"
#include "replay/store.h"

namespace rlarena {

struct MinariInfo {
  std::string dataset_id;
  std::string env_id;  // from env_spec, "" when absent
  int64_t total_episodes = 0, total_steps = 0;
};

// `dir` is the dataset directory (holding data/), or its data/ directory.
std::unique_ptr<ReplayStore> read_minari(const std::string& dir, MinariInfo* info = nullptr);
// Writes the store's steps, episode by episode, as dataset `dataset_id` in `dir`
// (the dataset directory, which must not exist yet). Metadata env_id (and
// env_kwargs, as k=v,...) becomes the env_spec with Gymnasium's entry point;
// algorithm_name, author, author_email, code_permalink (default: our version and
// commit), description and ref_min_score/ref_max_score go in as Minari 0.5 writes them.
void write_minari(const ReplayStore& store, const std::string& dir, const std::string& dataset_id,
                  const Metadata& metadata);
DatasetSummary summarize_minari(const std::string& dir);
// metadata.json's top-level keys as text (strings as they are, lists of strings joined
// with ", ", anything else as JSON), for `dataset show`.
Metadata minari_metadata(const std::string& dir);

// Minari's JSON encoding of a Box or Discrete space (±inf as Infinity, as Python writes it).
std::string minari_space_json(const Space& space);
Space space_from_minari_json(const std::string& json, const std::string& where);

}  // namespace rlarena
