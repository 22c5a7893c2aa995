#include "replay/d4rl.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

#include "common/error.h"
#include "envs/core/registry.h"
#include "replay/h5.h"

namespace rlarena {

std::optional<double> metadata_number(const Metadata& metadata, const std::string& key) {
  const auto it = metadata.find(key);
  if (it == metadata.end()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(it->second.c_str(), &end);
  if (it->second.empty() || *end != '\0' || !std::isfinite(v)) return std::nullopt;
  return v;
}

namespace {

// The file's observation (or action) space: the registered env's when it agrees.
Space space_from(const h5::Shape& shape, const Space* env_space) {
  std::vector<int64_t> row(shape.dims.begin() + 1, shape.dims.end());
  if (env_space) {
    const bool discrete_match = env_space->kind() == Space::Kind::Discrete && row.empty();
    if (discrete_match || (env_space->shape() == row && !env_space->is_composite())) return *env_space;
  }
  if (row.empty()) row = {};  // scalar per row
  const DType dtype = shape.type_class == H5T_INTEGER && shape.type_size == 1 ? DType::UInt8 : DType::Float32;
  if (dtype == DType::UInt8) return Space::box(0, 255, row, DType::UInt8);
  return Space::box(-INFINITY, INFINITY, row);
}

}  // namespace

void write_d4rl(const ReplayStore& store, const std::string& path, const Metadata& metadata,
                const D4rlOptions& options) {
  // The closed steps, episode by episode, written in blocks of rows gathered into
  // small reused buffers (no whole-file copy in memory).
  const std::vector<int64_t> rows = store.rows_by_episode();
  const int64_t n = static_cast<int64_t>(rows.size());
  const size_t ob = store.obs_bytes(), ab = store.action_bytes();
  const std::string tmp = path + ".tmp-" + std::to_string(getpid());
  try {
    H5::H5File file(tmp, H5F_ACC_TRUNC);
    const h5::WriteOptions wo = h5::WriteOptions::whole(options.gzip);
    const auto& obs_type = h5::type_of(store.observation_space().dtype());
    const auto& act_type = h5::type_of(store.action_space().dtype());
    const auto rows_n = static_cast<hsize_t>(n);
    H5::DataSet obs_ds = h5::write_array(file, "observations", obs_type, h5::dims_of(rows_n, store.observation_space()), nullptr, wo);
    H5::DataSet next_ds =
        h5::write_array(file, "next_observations", obs_type, h5::dims_of(rows_n, store.observation_space()), nullptr, wo);
    H5::DataSet act_ds = h5::write_array(file, "actions", act_type, h5::dims_of(rows_n, store.action_space()), nullptr, wo);
    H5::DataSet rew_ds = h5::write_array(file, "rewards", H5::PredType::NATIVE_FLOAT, {rows_n}, nullptr, wo);
    H5::DataSet term_ds = h5::write_array(file, "terminals", h5::bool_type(), {rows_n}, nullptr, wo);
    H5::DataSet trunc_ds = h5::write_array(file, "timeouts", h5::bool_type(), {rows_n}, nullptr, wo);
    std::vector<H5::DataSet> extra_ds;
    if (!store.extras().empty()) {
      H5::Group infos = file.createGroup("infos");
      for (const Column& c : store.extras()) {
        std::vector<hsize_t> dims = {rows_n};
        for (int64_t d : c.spec.shape) dims.push_back(static_cast<hsize_t>(d));
        extra_ds.push_back(h5::write_array(infos, c.spec.name, h5::type_of(c.spec.dtype), dims, nullptr, wo));
      }
    }
    constexpr int64_t kBlock = 8192;
    std::vector<uint8_t> obs(kBlock * ob), next(kBlock * ob), act(kBlock * ab), term(kBlock), trunc(kBlock), extra;
    std::vector<float> rew(kBlock);
    for (int64_t b = 0; b < n; b += kBlock) {
      const int64_t count = std::min(kBlock, n - b);
      for (int64_t i = 0; i < count; ++i) {
        const int64_t r = rows[b + i];
        std::memcpy(obs.data() + i * ob, store.obs(r), ob);
        std::memcpy(next.data() + i * ob, store.next_obs(r), ob);
        std::memcpy(act.data() + i * ab, store.action(r), ab);
        rew[i] = store.reward(r);
        term[i] = store.terminated(r);
        trunc[i] = store.truncated(r);
      }
      const auto hb = static_cast<hsize_t>(b), hc = static_cast<hsize_t>(count);
      h5::write_rows(obs_ds, obs_type, hb, hc, obs.data());
      h5::write_rows(next_ds, obs_type, hb, hc, next.data());
      h5::write_rows(act_ds, act_type, hb, hc, act.data());
      h5::write_rows(rew_ds, H5::PredType::NATIVE_FLOAT, hb, hc, rew.data());
      h5::write_rows(term_ds, h5::bool_type(), hb, hc, term.data());
      h5::write_rows(trunc_ds, h5::bool_type(), hb, hc, trunc.data());
      for (size_t k = 0; k < extra_ds.size(); ++k) {
        const Column& c = store.extras()[k];
        extra.resize(count * c.row_bytes);
        for (int64_t i = 0; i < count; ++i) std::memcpy(extra.data() + i * c.row_bytes, c.row(rows[b + i]), c.row_bytes);
        h5::write_rows(extra_ds[k], h5::type_of(c.spec.dtype), hb, hc, extra.data());
      }
    }
    if (!metadata.empty()) {
      H5::Group meta = file.createGroup("metadata");
      for (const auto& [key, value] : metadata) h5::write_string(meta, key, value);
    }
    file.close();
  } catch (const H5::Exception& e) {
    std::remove(tmp.c_str());
    throw Error(path + ": cannot write it (" + e.getDetailMsg() + "); check that its folder exists and is writable");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Error(path + ": cannot move the finished file into place; check that its folder is writable");
  }
}

std::unique_ptr<ReplayStore> read_d4rl(const std::string& path, int64_t begin, int64_t end, Metadata* metadata) {
  try {
    H5::H5File file = h5::open_read(path);
    Metadata meta;
    if (h5::exists(file, "metadata")) {
      H5::Group g = file.openGroup("metadata");
      for (const auto& key : h5::members(g))
        if (g.childObjType(key) == H5O_TYPE_DATASET && g.openDataSet(key).getTypeClass() == H5T_STRING)
          meta[key] = h5::read_string(g, key, path);
    }
    const h5::Shape obs = h5::shape_of(file, "observations", path);
    const h5::Shape act = h5::shape_of(file, "actions", path);
    const h5::Shape rew = h5::shape_of(file, "rewards", path);
    // A collector's file may have arrays longer than what it committed (a flush cut
    // short by a crash): only the committed steps count.
    hsize_t n = obs.rows();
    const bool collected = h5::exists(file, "metadata/committed_steps");
    if (collected) {
      int64_t committed = 0;
      h5::read_rows(file, "metadata/committed_steps", path, 0, 1, H5::PredType::NATIVE_INT64, &committed);
      if (committed < 0 || static_cast<hsize_t>(committed) > n)
        throw Error(path + ": key 'metadata/committed_steps' says " + std::to_string(committed) +
                    " steps but 'observations' has " + std::to_string(n));
      n = static_cast<hsize_t>(committed);
    }
    // Every per-step key has one row per step.
    for (const char* key : {"actions", "rewards", "terminals", "timeouts", "next_observations"}) {
      if (!h5::exists(file, key)) {
        if (std::string(key) == "timeouts" || std::string(key) == "next_observations") continue;
        h5::shape_of(file, key, path);  // names the missing key
      }
      const h5::Shape s = h5::shape_of(file, key, path);
      const hsize_t rows = s.dims.empty() ? 0 : s.rows();
      if (collected ? rows < n : rows != n)
        throw Error(path + ": key '" + key + "' has " + std::to_string(rows) + " rows but 'observations' has " +
                    std::to_string(n) + "; every key needs one row per step");
    }
    if (obs.dims.empty()) throw Error(path + ": key 'observations' is a scalar; expected [steps, ...]");
    if (rew.row_size() != 1) throw Error(path + ": key 'rewards' is " + rew.repr() + "; expected one reward per step");
    if (obs.type_class != H5T_FLOAT && obs.type_class != H5T_INTEGER)
      throw Error(path + ": key 'observations' is " + obs.repr() + "; expected float or uint8 observations");
    const auto row_shape = [](std::vector<hsize_t> d) { return d.empty() ? d : std::vector<hsize_t>(d.begin() + 1, d.end()); };
    if (h5::exists(file, "next_observations") &&
        row_shape(h5::shape_of(file, "next_observations", path).dims) != row_shape(obs.dims))
      throw Error(path + ": key 'next_observations' is " + h5::shape_of(file, "next_observations", path).repr() +
                  "; expected the shape of 'observations' " + obs.repr());
    if (end < 0) end = static_cast<int64_t>(n);
    if (begin < 0 || begin > end || end > static_cast<int64_t>(n))
      throw Error(path + ": rows " + std::to_string(begin) + ".." + std::to_string(end) + " asked of a file of " +
                  std::to_string(n) + " steps");
    const auto b = static_cast<hsize_t>(begin);
    const int64_t count = end - begin;

    std::unique_ptr<Env> env;
    if (meta.count("env_id") && Registry::global().has(meta["env_id"])) env = make(meta["env_id"]);
    const Space obs_space = space_from(obs, env ? &env->observation_space() : nullptr);
    const Space act_space = space_from(act, env ? &env->action_space() : nullptr);
    auto store = std::make_unique<ReplayStore>(obs_space, act_space, std::max<int64_t>(2, count));
    if (count == 0) return store;

    // Blocks of rows straight into the store: observations with one row of
    // lookahead, so each step can tell whether the next row continues its episode
    // (same observation as its next_observation, no terminal or timeout).
    const size_t ob = store->obs_bytes(), ab = store->action_bytes();
    const bool has_next = h5::exists(file, "next_observations"), has_timeouts = h5::exists(file, "timeouts");
    const auto& obs_type = h5::type_of(obs_space.dtype());
    constexpr int64_t kBlock = 8192;
    std::vector<uint8_t> obs_block((kBlock + 1) * ob), next(kBlock * ob), act_block(kBlock * ab);
    std::vector<int64_t> episodes(kBlock);
    std::vector<uint8_t> linked(kBlock);
    int64_t episode = 0;
    for (int64_t bb = 0; bb < count; bb += kBlock) {
      const int64_t rows = std::min(kBlock, count - bb);
      const hsize_t lo = b + static_cast<hsize_t>(bb), hi = lo + static_cast<hsize_t>(rows);
      const hsize_t ahead = std::min<hsize_t>(hi + 1, n);  // one row more, where the file has it
      h5::read_rows(file, "observations", path, lo, ahead, obs_type, obs_block.data());
      if (has_next) {
        h5::read_rows(file, "next_observations", path, lo, hi, obs_type, next.data());
      } else {  // without them, a step's next observation is the following row's
        std::memcpy(next.data(), obs_block.data() + ob, (ahead - lo - 1) * ob);
        if (ahead == hi) std::memcpy(next.data() + (rows - 1) * ob, obs_block.data() + (rows - 1) * ob, ob);
      }
      h5::read_rows(file, "actions", path, lo, hi, h5::type_of(act_space.dtype()), act_block.data());
      const std::vector<float> rewards = h5::read_floats(file, "rewards", path, lo, hi);
      const std::vector<uint8_t> terminals = h5::read_flags(file, "terminals", path, lo, hi);
      const std::vector<uint8_t> timeouts =
          has_timeouts ? h5::read_flags(file, "timeouts", path, lo, hi) : std::vector<uint8_t>(rows, 0);
      for (int64_t i = 0; i < rows; ++i) {
        episodes[i] = episode;
        // The slice's last step never links: its next row is not loaded.
        linked[i] = bb + i + 1 < count && !terminals[i] && !timeouts[i] &&
                    std::memcmp(next.data() + i * ob, obs_block.data() + (i + 1) * ob, ob) == 0;
        if (!linked[i]) ++episode;
      }
      // Rows are contiguous (the store holds exactly the slice): a linked step's next
      // step is the row after it, even across blocks.
      const int64_t first = store->open_rows(rows, obs_block.data(), episodes.data());
      for (int64_t i = 0; i < rows; ++i)
        store->close_row(first + i, act_block.data() + i * ab, rewards[i], terminals[i], timeouts[i],
                         linked[i] ? first + i + 1 : -1, next.data() + i * ob);
    }
    if (metadata) *metadata = meta;
    return store;
  } catch (const H5::Exception& e) {
    throw Error(path + ": HDF5 failed reading it (" + e.getDetailMsg() + "); the file is damaged or truncated");
  }
}

DatasetSummary summarize(const ReplayStore& store) {
  DatasetSummary s;
  std::vector<double> returns;
  for (const auto& run : store.episodes()) {
    double ret = 0;
    for (int64_t row : run) ret += store.reward(row);
    returns.push_back(ret);
    s.steps += static_cast<int64_t>(run.size());
  }
  s.episodes = static_cast<int64_t>(returns.size());
  if (!returns.empty()) {
    double sum = 0, sq = 0;
    s.return_min = INFINITY, s.return_max = -INFINITY;
    for (double r : returns) {
      sum += r, sq += r * r;
      s.return_min = std::min(s.return_min, r), s.return_max = std::max(s.return_max, r);
    }
    s.return_mean = sum / returns.size();
    s.return_std = std::sqrt(std::max(0.0, sq / returns.size() - s.return_mean * s.return_mean));
  }
  return s;
}

std::string left_open_message(const std::string& path) {
  return path + " was left open by a writer that stopped (a dataset collect killed mid-run?): rlarena reads its "
                "committed steps, but h5py and D4RL's loader refuse it; make a plain copy with: rlarena dataset "
                "recover " + path + " [--out NEW]";
}

int64_t recover_d4rl(const std::string& path, const std::string& out) {
  Metadata meta;
  const auto store = read_d4rl(path, 0, -1, &meta);
  write_d4rl(*store, out.empty() ? path : out, meta);
  return store->closed();
}

DatasetSummary summarize_d4rl(const std::string& path) {
  Metadata meta;
  const auto store = read_d4rl(path, 0, -1, &meta);
  DatasetSummary s = summarize(*store);
  s.layout = "d4rl";
  s.metadata = meta;
  if (h5::left_open_by_writer(path)) s.warning = left_open_message(path);
  try {
    H5::H5File file = h5::open_read(path);
    for (const auto& key : h5::members(file)) {
      if (file.childObjType(key) == H5O_TYPE_DATASET) {
        s.keys[key] = h5::shape_of(file, key, path).repr();
      } else if (file.childObjType(key) == H5O_TYPE_GROUP) {
        H5::Group g = file.openGroup(key);
        for (const auto& sub : h5::members(g))
          if (g.childObjType(sub) == H5O_TYPE_DATASET) s.keys[key + "/" + sub] = h5::shape_of(g, sub, path).repr();
      }
    }
  } catch (const H5::Exception& e) {
    throw Error(path + ": HDF5 failed reading it (" + e.getDetailMsg() + ")");
  }
  return s;
}

}  // namespace rlarena
