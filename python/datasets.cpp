#include "python/datasets.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstring>
#include <memory>

#include "common/error.h"
#include "replay/dataset.h"
#include "replay/locate.h"
#include "python/convert.h"
#include "python/spaces.h"

namespace rlarena::py_bind {

namespace py = pybind11;

namespace {

// A [rows, ...space] array of `space`'s values, filled row by row from `row_data`.
template <typename RowData>
py::array stack(const Space& space, const std::vector<int64_t>& rows, RowData row_data) {
  Array a;
  a.dtype = space.dtype();
  a.shape = space.is_composite() ? std::vector<int64_t>{space.numel()} : space.shape();
  a.shape.insert(a.shape.begin(), static_cast<int64_t>(rows.size()));
  const size_t bytes = space.byte_size();
  a.bytes.resize(rows.size() * bytes);
  for (size_t i = 0; i < rows.size(); ++i) std::memcpy(a.bytes.data() + i * bytes, row_data(rows[i]), bytes);
  return to_numpy(a);
}

template <typename T, typename Value>
py::array column(const std::vector<int64_t>& rows, Value value) {
  py::array_t<T> out(static_cast<py::ssize_t>(rows.size()));
  auto w = out.template mutable_unchecked<1>();
  for (size_t i = 0; i < rows.size(); ++i) w(i) = static_cast<T>(value(rows[i]));
  return std::move(out);
}

py::dict transitions(const ReplayStore& s, const std::vector<int64_t>& rows) {
  py::dict d;
  d["observations"] = stack(s.observation_space(), rows, [&](int64_t r) { return s.obs(r); });
  d["actions"] = stack(s.action_space(), rows, [&](int64_t r) { return s.action(r); });
  d["next_observations"] = stack(s.observation_space(), rows, [&](int64_t r) { return s.next_obs(r); });
  d["rewards"] = column<float>(rows, [&](int64_t r) { return s.reward(r); });
  d["terminals"] = column<bool>(rows, [&](int64_t r) { return s.terminated(r); });
  // An episode cut off where the data stops ends in a timeout too, so that splitting on
  // terminals | timeouts never joins two episodes.
  std::vector<uint8_t> last(s.capacity(), 0);
  for (const auto& run : s.episodes()) last[run.back()] = 1;
  d["timeouts"] = column<bool>(rows, [&](int64_t r) { return s.truncated(r) || (last[r] && !s.terminated(r)); });
  return d;
}

// A str, a pathlib.Path or any os.PathLike, as text.
std::string path_text(const py::object& p) {
  return py::str(py::module_::import("os").attr("fspath")(p)).cast<std::string>();
}

py::dict metadata_dict(const Metadata& m) {
  py::dict d;
  for (const auto& [k, v] : m) d[py::str(k)] = v;
  return d;
}

// A dataset's episodes, as Minari's EpisodeData: id, observations (T + 1 rows),
// actions, rewards, terminations, truncations (T rows).
class PyDataset {
 public:
  explicit PyDataset(const std::string& path_or_id)
      : path_(locate_dataset(path_or_id)), store_(read_dataset(path_, &metadata_)), episodes_(store_->episodes()) {}

  int64_t size() const { return static_cast<int64_t>(episodes_.size()); }

  py::object episode(int64_t given) const {
    const int64_t i = given < 0 ? given + size() : given;
    if (i < 0 || i >= size())
      throw py::index_error("episode " + std::to_string(given) + " is out of range; the dataset has " +
                            std::to_string(size()) + " episodes");
    const ReplayStore& s = *store_;
    const std::vector<int64_t>& rows = episodes_[i];
    std::vector<int64_t> obs_rows = rows;
    obs_rows.push_back(-1);  // the last step's next observation
    const int64_t last = rows.back();
    py::array obs = stack(s.observation_space(), obs_rows,
                          [&](int64_t r) { return r < 0 ? s.next_obs(last) : s.obs(r); });
    py::module_ types = py::module_::import("types");
    return types.attr("SimpleNamespace")(
        py::arg("id") = i, py::arg("observations") = obs,
        py::arg("actions") = stack(s.action_space(), rows, [&](int64_t r) { return s.action(r); }),
        py::arg("rewards") = column<float>(rows, [&](int64_t r) { return s.reward(r); }),
        py::arg("terminations") = column<bool>(rows, [&](int64_t r) { return s.terminated(r); }),
        py::arg("truncations") = column<bool>(rows, [&, last](int64_t r) { return s.truncated(r) || (r == last && !s.terminated(r)); }),
        py::arg("total_steps") = rows.size());
  }

  int64_t total_steps() const {
    int64_t n = 0;
    for (const auto& e : episodes_) n += static_cast<int64_t>(e.size());
    return n;
  }
  const ReplayStore& store() const { return *store_; }
  const Metadata& metadata() const { return metadata_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  Metadata metadata_;
  std::unique_ptr<ReplayStore> store_;
  std::vector<std::vector<int64_t>> episodes_;
};

}  // namespace

void bind_datasets(py::module_& m) {
  m.def("load_dataset", [](const py::object& path_or_id) {
        Metadata metadata;
        const auto store = read_dataset(path_text(path_or_id), &metadata);
        py::dict d = transitions(*store, store->rows_by_episode());
        return d;
      }, py::arg("path_or_id"),
      "A D4RL file, Minari directory or Minari id (looked up in MINARI_DATASETS_PATH) as "
      "d4rl.qlearning_dataset's dict: observations, actions, next_observations, rewards, terminals, "
      "plus timeouts. Every step is kept with its true next observation (D4RL drops the steps "
      "that hit the time limit because its files lacked their next observations).");
  m.def("dataset_path", &locate_dataset, py::arg("path_or_id"), "Where a path or Minari id points.");
  m.def("minari_root", &minari_root, "The Minari root: $MINARI_DATASETS_PATH or ~/.minari/datasets.");
  m.def("list_datasets", &local_dataset_ids, "The ids of the datasets in the Minari root.");

  py::class_<PyDataset>(m, "Dataset", "A dataset's episodes, as Minari's EpisodeData objects.")
      .def(py::init([](const py::object& path_or_id) { return PyDataset(path_text(path_or_id)); }), py::arg("path_or_id"))
      .def("__len__", &PyDataset::size)
      .def("__getitem__", &PyDataset::episode, py::arg("i"))
      .def("__iter__", [](py::object self) {
        return py::module_::import("builtins").attr("map")(self.attr("__getitem__"),
                                                            py::module_::import("builtins").attr("range")(py::len(self)));
      })
      .def("iterate_episodes", [](py::object self) { return self.attr("__iter__")(); })
      .def_property_readonly("total_episodes", &PyDataset::size)
      .def_property_readonly("total_steps", &PyDataset::total_steps)
      .def_property_readonly("observation_space", [](const PyDataset& d) { return PySpace(d.store().observation_space()); })
      .def_property_readonly("action_space", [](const PyDataset& d) { return PySpace(d.store().action_space()); })
      .def_property_readonly("metadata", [](const PyDataset& d) { return metadata_dict(d.metadata()); })
      .def_property_readonly("path", &PyDataset::path)
      .def("__repr__", [](const PyDataset& d) {
        return "<rlarena.Dataset " + d.path() + ": " + std::to_string(d.size()) + " episodes>";
      });
}

}  // namespace rlarena::py_bind
