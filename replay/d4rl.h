// D4RL's HDF5 layout: flat datasets observations, actions, rewards, terminals,
// timeouts, next_observations (one row per step), optional infos/* and metadata/*.
// Reading accepts what D4RL's own files hold (numpy-bool enums or 0/1 integers for
// flags, float64 converted to float32) and reads whole files or row slices into a
// ReplayStore; writing exports a store's steps, oldest first, to a temporary name
// renamed when complete. Our runs add metadata/ (env id and kwargs, policy, seed,
// rlarena version, git commit) so a file says where it came from.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "replay/store.h"

namespace rlarena {

using Metadata = std::map<std::string, std::string>;
// The finite number that metadata `key` holds (e.g. ref_min_score), if it holds one.
std::optional<double> metadata_number(const Metadata& metadata, const std::string& key);

struct D4rlOptions {
  bool gzip = false;
};
void write_d4rl(const ReplayStore& store, const std::string& path, const Metadata& metadata,
                const D4rlOptions& options = {});

// Rows [begin, end) (end < 0: to the last row) into a new store holding exactly them.
// Spaces come from metadata/env_id when it names a registered env with the same
// shapes, else Box(-inf, inf) of the file's shapes (uint8 observations stay uint8).
std::unique_ptr<ReplayStore> read_d4rl(const std::string& path, int64_t begin = 0, int64_t end = -1,
                                       Metadata* metadata = nullptr);

// What `rlarena dataset info` shows: keys with shapes and dtypes, steps, episodes,
// episode return statistics, metadata. Checks the file as read_d4rl does.
struct DatasetSummary {
  std::string layout;  // "d4rl" or "minari"
  std::map<std::string, std::string> keys;  // name -> "[rows, ...] dtype"
  int64_t steps = 0, episodes = 0;
  double return_mean = 0, return_std = 0, return_min = 0, return_max = 0;
  Metadata metadata;
  std::string warning;  // what a reader should know (e.g. a file left open by a crashed writer)
};
DatasetSummary summarize(const ReplayStore& store);
DatasetSummary summarize_d4rl(const std::string& path);

// A file a collector left open when it was killed (h5::left_open_by_writer) rewritten
// as a plain D4RL file at `out` (`path` itself when empty, replaced when complete),
// holding every committed step. Returns the steps.
int64_t recover_d4rl(const std::string& path, const std::string& out);
// The message that names `rlarena dataset recover` for such a file.
std::string left_open_message(const std::string& path);

}  // namespace rlarena
