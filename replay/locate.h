// Where datasets live: a path, or a Minari dataset id ("namespace/name-vN") under the
// Minari root ($MINARI_DATASETS_PATH, default ~/.minari/datasets), as Minari finds them.
// Every dataset command, the Python module and a recipe's `dataset =` go through here.
#pragma once
#include <string>
#include <vector>

namespace rlarena {

// The Minari root: $MINARI_DATASETS_PATH, else $HOME/.minari/datasets.
std::string minari_root();

// Whether `id` has Minari's form [namespace/...]name-vN (each part [A-Za-z0-9_.-]).
bool is_dataset_id(const std::string& id);

// The path of `path_or_id`: itself when it exists, else the id's directory in the
// Minari root. Neither gives a NotFound naming both places and `rlarena dataset list`.
std::string locate_dataset(const std::string& path_or_id);

// Where `id` goes in the Minari root (for writing); a malformed id is refused.
std::string dataset_dir_for_id(const std::string& id);

// The ids of the datasets in the Minari root (directories holding data/metadata.json), sorted.
std::vector<std::string> local_dataset_ids();

}  // namespace rlarena
