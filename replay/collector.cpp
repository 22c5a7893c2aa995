#include "replay/collector.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "common/error.h"
#include "replay/h5.h"

namespace rlarena {


DatasetCollector::DatasetCollector(const std::string& path, const Space& obs, const Space& act,
                                   const Metadata& metadata)
    : path_(path), obs_type_(h5::type_of(obs.dtype())), act_type_(h5::type_of(act.dtype())) {
  if (std::ifstream(path)) throw Error(path + " exists; a collection never overwrites a file: remove it or give another --out");
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  try {
    H5::FileAccPropList fapl;
    fapl.setLibverBounds(H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);  // SWMR needs the 1.10 format
    file_ = H5::H5File(tmp, H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT, fapl);
    const h5::WriteOptions grow = h5::WriteOptions::appendable();
    obs_ = h5::write_array(file_, "observations", obs_type_, h5::dims_of(0, obs), nullptr, grow);
    next_obs_ = h5::write_array(file_, "next_observations", obs_type_, h5::dims_of(0, obs), nullptr, grow);
    actions_ = h5::write_array(file_, "actions", act_type_, h5::dims_of(0, act), nullptr, grow);
    rewards_ = h5::write_array(file_, "rewards", H5::PredType::NATIVE_FLOAT, {0}, nullptr, grow);
    terminals_ = h5::write_array(file_, "terminals", h5::bool_type(), {0}, nullptr, grow);
    timeouts_ = h5::write_array(file_, "timeouts", h5::bool_type(), {0}, nullptr, grow);
    H5::Group meta = file_.createGroup("metadata");
    for (const auto& [key, value] : metadata) h5::write_string(meta, key, value);
    const int64_t zero = 0;
    committed_set_ = h5::write_array(meta, "committed_steps", H5::PredType::NATIVE_INT64, {1}, &zero, {});
    if (H5Fstart_swmr_write(file_.getId()) < 0) throw Error(path + ": HDF5 could not start SWMR writing");
  } catch (const H5::Exception& e) {
    std::remove(tmp.c_str());
    throw Error(path + ": cannot create it (" + e.getDetailMsg() + "); check that its folder exists and is writable");
  }
  // Only a file that is whole and in SWMR mode takes the name (a link fails if the name
  // was taken meanwhile): a kill while it was being made leaves no damaged file there.
  const int linked = link(tmp.c_str(), path.c_str());
  const int err = errno;
  std::remove(tmp.c_str());
  if (linked != 0) {
    file_.close();
    closed_ = true;
    throw Error(path + (err == EEXIST ? " exists; a collection never overwrites a file: remove it or give another --out"
                                      : ": cannot create it (" + std::string(std::strerror(err)) + ")"));
  }
}

DatasetCollector::~DatasetCollector() {
  try {
    if (!closed_) file_.close();  // what was flushed stays; nothing more is written
  } catch (...) {
  }
}

void DatasetCollector::append(const ReplayStore& store, const std::vector<int64_t>& rows, bool truncate_last) {
  const auto n = static_cast<hsize_t>(rows.size());
  if (n == 0) return;
  const size_t ob = store.obs_bytes(), ab = store.action_bytes();
  std::vector<uint8_t> obs(n * ob), next(n * ob), act(n * ab), term(n), trunc(n);
  std::vector<float> rew(n);
  for (hsize_t i = 0; i < n; ++i) {
    const int64_t r = rows[i];
    std::memcpy(obs.data() + i * ob, store.obs(r), ob);
    const int64_t nr = store.next_row(r);
    std::memcpy(next.data() + i * ob, nr >= 0 ? store.obs(nr) : store.next_obs(r), ob);
    std::memcpy(act.data() + i * ab, store.action(r), ab);
    rew[i] = store.reward(r);
    term[i] = store.terminated(r);
    trunc[i] = store.truncated(r);
    if (truncate_last && (i + 1 == n || store.episode(rows[i + 1]) != store.episode(r))) trunc[i] = 1;
  }
  try {
    h5::append_rows(obs_, obs_type_, n, obs.data());
    h5::append_rows(next_obs_, obs_type_, n, next.data());
    h5::append_rows(actions_, act_type_, n, act.data());
    h5::append_rows(rewards_, H5::PredType::NATIVE_FLOAT, n, rew.data());
    h5::append_rows(terminals_, h5::bool_type(), n, term.data());
    h5::append_rows(timeouts_, h5::bool_type(), n, trunc.data());
  } catch (const H5::Exception& e) {
    throw Error(path_ + ": cannot append to it (" + e.getDetailMsg() + "); is the disk full?");
  }
  committed_ += static_cast<int64_t>(n);
}

void DatasetCollector::commit() {
  // Data first, then the count that makes it visible: a crash between the two
  // loses only this flush.
  H5Fflush(file_.getId(), H5F_SCOPE_GLOBAL);
  committed_set_.write(&committed_, H5::PredType::NATIVE_INT64);
  H5Fflush(file_.getId(), H5F_SCOPE_GLOBAL);
}

void DatasetCollector::flush(const ReplayStore& store) {
  if (closed_) throw Error(path_ + ": the collection was closed");
  // Finished episodes are written once; running ones wait for a later flush.
  std::vector<int64_t> rows;
  for (const auto& run : store.episodes())
    if (store.next_row(run.back()) < 0 && written_.insert(store.episode(run.back())).second)
      rows.insert(rows.end(), run.begin(), run.end());
  append(store, rows);
  commit();
}

void DatasetCollector::close(const ReplayStore& store, Running running) {
  flush(store);
  if (running == Running::KeepTruncated) {
    // The episodes still running, up to their last step, which becomes a timeout.
    std::vector<int64_t> rows;
    for (int64_t r : store.rows_by_episode())
      if (!written_.count(store.episode(r))) rows.push_back(r);
    append(store, rows, true);
    commit();
  }
  file_.close();
  closed_ = true;
}

}  // namespace rlarena
