// DatasetCollector: writes a D4RL file while a run fills a ReplayStore, crash-safe.
// The file is opened in HDF5's single-writer/multiple-reader (SWMR) mode, so it is
// consistent on disk after every flush; flush() appends the episodes finished since
// the last one (whole episodes keep D4RL's layout) and then records how many steps
// are committed (metadata/committed_steps), which readers trust over array lengths.
// A kill -9 at any moment leaves a file that opens and holds every flushed step.
// close() drops the episodes still running, or keeps them cut short (last step
// flagged as a timeout, next observation the real one), as asked.
#pragma once
#include <H5Cpp.h>

#include <cstdint>
#include <set>
#include <string>

#include "replay/d4rl.h"
#include "replay/store.h"

namespace rlarena {

class DatasetCollector {
 public:
  // Creates `path` (it must not exist: a collection never overwrites a file).
  DatasetCollector(const std::string& path, const Space& observation_space, const Space& action_space,
                   const Metadata& metadata);
  ~DatasetCollector();
  DatasetCollector(const DatasetCollector&) = delete;
  DatasetCollector& operator=(const DatasetCollector&) = delete;

  enum class Running : uint8_t { Drop, KeepTruncated };
  void flush(const ReplayStore& store);
  void close(const ReplayStore& store, Running running);
  int64_t committed_steps() const { return committed_; }

 private:
  // `truncate_last`: flag the last row of each episode in `rows` as a timeout.
  void append(const ReplayStore& store, const std::vector<int64_t>& rows, bool truncate_last = false);
  void commit();

  std::string path_;
  H5::H5File file_;
  H5::DataSet obs_, next_obs_, actions_, rewards_, terminals_, timeouts_, committed_set_;
  H5::DataType obs_type_, act_type_;
  std::set<int64_t> written_;  // episodes already in the file
  int64_t committed_ = 0;
  bool closed_ = false;
};

}  // namespace rlarena
