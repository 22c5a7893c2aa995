// Envs and vector envs for Python. Env follows Gymnasium's Env; VecEnv follows
// Gymnasium's vector env (same-step autoreset, info["final_obs"]) and EnvPool's
// async send/recv, and hands out views of its own buffers instead of copies.
#include "python/envs.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <random>

#include "common/error.h"
#include "envs/core/registry.h"
#include "envs/core/vec_env.h"
#include "python/convert.h"
#include "python/spaces.h"

namespace rlarena::py_bind {

namespace py = pybind11;

namespace {

struct EnvSpecView {
  EnvSpec spec;
};

class PyEnv {
 public:
  PyEnv(std::unique_ptr<Env> env)
      : env_(std::move(env)), obs_space_(env_->observation_space()), act_space_(env_->action_space()) {}

  py::tuple reset(const py::object& seed, const py::object& options) {
    no_options(options);
    return py::make_tuple(to_numpy(env_->reset(seed_of(seed))), py::dict());
  }

  py::tuple step(const py::object& action) {
    const std::vector<uint8_t> bytes = action_bytes(env_->action_space(), action, 0);
    Array obs = Array::zeros(env_->observation_space());
    std::vector<double> info(env_->info_keys().size());
    const StepOut out = env_->step_into(bytes.data(), obs.data(), info.data());
    py::dict d;
    for (size_t i = 0; i < info.size(); ++i) d[py::str(env_->info_keys()[i])] = info[i];
    return py::make_tuple(to_numpy(obs), out.reward, out.terminated, out.truncated, d);
  }

  Env& env() { return *env_; }
  PySpace& observation_space() { return obs_space_; }
  PySpace& action_space() { return act_space_; }

 private:
  std::unique_ptr<Env> env_;
  PySpace obs_space_, act_space_;
};

// A vector env and NumPy views of its batch buffers. The views are made once per
// buffer and returned by every call: the next step(), reset() or recv() overwrites
// them in place (copy what you keep). They keep the VecEnv alive, not the other way round.
class PyVecEnv {
 public:
  PyVecEnv(const std::string& id, int64_t num_envs, const py::object& seed, int threads, int64_t batch_size,
           const Kwargs& kwargs)
      : vec_(std::make_shared<VecEnv>(id, num_envs, constructor_seed(seed), threads, batch_size, kwargs)),
        obs_space_(batched(vec_->observation_space(), num_envs)),
        act_space_(batched(vec_->action_space(), num_envs)),
        single_obs_(vec_->observation_space()),
        single_act_(vec_->action_space()) {}

  py::tuple reset(const py::object& seed, const py::object& options) {
    no_options(options);
    const std::optional<uint64_t> s = seed_of(seed);
    const Batch* b;
    {
      py::gil_scoped_release unlocked;
      b = &vec_->reset(s);
    }
    Views& v = views(*b, sync_);
    std::fill(v.done_mask->begin(), v.done_mask->end(), 0);  // no episode has just ended
    was_reset_ = true;
    return py::make_tuple(v.obs, py::dict());
  }

  py::tuple step(const py::object& actions) {
    if (!was_reset_) throw Error("step() before reset(); call reset() first, as Gymnasium's vector envs ask");
    const std::vector<uint8_t> bytes = action_bytes(vec_->action_space(), actions, vec_->num_envs());
    const Batch* b;
    {
      py::gil_scoped_release unlocked;
      b = &vec_->step(bytes.data());
    }
    return results(*b, sync_, false);
  }

  void async_reset(const py::object& seed) {
    const std::optional<uint64_t> s = seed_of(seed);
    py::gil_scoped_release unlocked;
    vec_->async_reset(s);
    was_reset_ = true;
  }

  void send(const py::object& actions, const py::object& env_id) {
    if (!was_reset_) throw Error("send() before async_reset(); call async_reset() first");
    std::vector<int64_t> ids;
    if (env_id.is_none()) {
      for (int64_t i = 0; i < vec_->num_envs(); ++i) ids.push_back(i);
    } else {
      const py::array given = py::array::ensure(env_id);
      if (!given || given.ndim() != 1 || (given.dtype().kind() != 'i' && given.dtype().kind() != 'u'))
        throw Error("env_id must be a 1-D array of whole env indices (not bools or floats)");
      auto a = py::array_t<int64_t, py::array::c_style | py::array::forcecast>::ensure(given);
      ids.assign(a.data(), a.data() + a.size());
      for (int64_t i : ids)
        if (i < 0 || i >= vec_->num_envs())
          throw Error("env_id " + std::to_string(i) + " is out of range; give 0 to " +
                      std::to_string(vec_->num_envs() - 1));
    }
    const auto count = static_cast<int64_t>(ids.size());
    const std::vector<uint8_t> bytes = action_bytes(vec_->action_space(), actions, count);
    py::gil_scoped_release unlocked;
    vec_->send(bytes.data(), ids.data(), count);
  }

  py::tuple recv() {
    const Batch* b;
    {
      py::gil_scoped_release unlocked;
      b = &vec_->recv();
    }
    return results(*b, async_, true);
  }

  VecEnv& vec() { return *vec_; }
  PySpace& observation_space() { return obs_space_; }
  PySpace& action_space() { return act_space_; }
  PySpace& single_observation_space() { return single_obs_; }
  PySpace& single_action_space() { return single_act_; }

 private:
  struct Views {
    const void* obs_data = nullptr;  // the buffer the views were made for
    int64_t rows = 0;
    py::object obs, final_obs, reward, terminated, truncated, done, episode_return, episode_length, env_id;
    std::vector<py::object> info;
    // terminated | truncated, per row; shared with the views' owner so it outlives this object too
    std::shared_ptr<std::vector<uint8_t>> done_mask;
  };
  // What every view keeps alive: the VecEnv's buffers and the done masks.
  struct Owner {
    std::shared_ptr<VecEnv> vec;
    std::shared_ptr<std::vector<uint8_t>> mask;
  };

  static uint64_t constructor_seed(const py::object& seed) {
    if (const auto s = seed_of(seed)) return *s;
    // Without a seed, Gymnasium seeds from the OS: so do we.
    std::random_device os;
    return (uint64_t{os()} << 32) ^ os();
  }

  Views& views(const Batch& b, Views& v) {
    if (v.obs_data == b.obs && v.rows == b.size) return v;
    // The owner of every view: a capsule holding references to the VecEnv and the mask.
    v.done_mask = std::make_shared<std::vector<uint8_t>>(b.size, 0);
    auto* keep = new Owner{vec_, v.done_mask};
    py::capsule owner(keep, [](void* p) { delete static_cast<Owner*>(p); });
    const py::ssize_t n = b.size;
    std::vector<py::ssize_t> obs_shape{n};
    const Space& os = vec_->observation_space();
    if (os.is_composite()) obs_shape.push_back(os.numel());
    else obs_shape.insert(obs_shape.end(), os.shape().begin(), os.shape().end());
    const DType od = os.dtype();
    v.obs_data = b.obs;
    v.rows = b.size;
    v.obs = view(od, obs_shape, b.obs, owner);
    v.final_obs = view(od, obs_shape, b.final_obs, owner);
    v.reward = py::array(py::dtype::of<double>(), {n}, {sizeof(double)}, b.reward, owner);
    v.terminated = view(DType::UInt8, {n}, b.terminated, owner).attr("view")(py::dtype("bool"));
    v.truncated = view(DType::UInt8, {n}, b.truncated, owner).attr("view")(py::dtype("bool"));
    v.episode_return = py::array(py::dtype::of<double>(), {n}, {sizeof(double)}, b.episode_return, owner);
    v.episode_length = view(DType::Int64, {n}, b.episode_length, owner);
    v.env_id = view(DType::Int64, {n}, b.env_ids, owner);
    v.done = view(DType::UInt8, {n}, v.done_mask->data(), owner).attr("view")(py::dtype("bool"));
    v.info.clear();
    for (int64_t k = 0; k < b.num_info; ++k)
      v.info.push_back(py::array(py::dtype::of<double>(), {n}, {static_cast<py::ssize_t>(b.num_info * sizeof(double))},
                                 b.info + k, owner));
    for (py::object* a : {&v.reward, &v.episode_return})
      py::detail::array_proxy(a->ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    for (auto& a : v.info) py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    return v;
  }

  py::tuple results(const Batch& b, Views& cache, bool with_env_id) {
    Views& v = views(b, cache);
    for (int64_t r = 0; r < b.size; ++r) (*v.done_mask)[r] = b.done(r);
    py::dict info;
    // Gymnasium 1.x same-step autoreset: the finished episodes' last observations,
    // valid where the mask is set; RecordEpisodeStatistics' episode entry likewise.
    info["final_obs"] = v.final_obs;
    info["_final_obs"] = v.done;
    py::dict episode;
    episode["r"] = v.episode_return;
    episode["l"] = v.episode_length;
    info["episode"] = episode;
    info["_episode"] = v.done;
    for (size_t k = 0; k < v.info.size(); ++k) info[py::str(vec_->info_keys()[k])] = v.info[k];
    if (with_env_id) info["env_id"] = v.env_id;
    return py::make_tuple(v.obs, v.reward, v.terminated, v.truncated, info);
  }

  std::shared_ptr<VecEnv> vec_;
  PySpace obs_space_, act_space_, single_obs_, single_act_;
  Views sync_, async_;
  bool was_reset_ = false;
};

py::dict spec_dict(const EnvSpec& spec) {
  py::dict kwargs;
  for (const auto& [k, v] : spec.default_kwargs.items()) kwargs[py::str(k)] = v;
  return kwargs;
}

}  // namespace

void bind_envs(py::module_& m) {
  py::class_<EnvSpecView>(m, "EnvSpec", "How an env id is made (Gymnasium's EnvSpec).")
      .def_property_readonly("id", [](const EnvSpecView& s) { return s.spec.id; })
      .def_property_readonly("max_episode_steps", [](const EnvSpecView& s) -> py::object {
        if (s.spec.max_episode_steps <= 0) return py::none();
        return py::int_(s.spec.max_episode_steps);
      })
      .def_property_readonly("reward_threshold", [](const EnvSpecView& s) -> py::object {
        if (!s.spec.reward_threshold) return py::none();
        return py::float_(*s.spec.reward_threshold);
      })
      .def_property_readonly("kwargs", [](const EnvSpecView& s) { return spec_dict(s.spec); })
      .def("__repr__", [](const EnvSpecView& s) { return "EnvSpec(id='" + s.spec.id + "')"; });

  py::class_<PyEnv>(m, "Env", "One environment with Gymnasium's Env methods.")
      .def("reset", &PyEnv::reset, py::kw_only(), py::arg("seed") = py::none(), py::arg("options") = py::none(),
           "Starts an episode: (observation, info). A seed reseeds the env; without one its stream goes on.")
      .def("step", &PyEnv::step, py::arg("action"),
           "(observation, reward, terminated, truncated, info); info holds the env's reward terms.")
      .def("render", [](PyEnv& e) { return to_numpy(e.env().render()); }, "The current frame, uint8 [H, W, 3].")
      .def("close", [](PyEnv&) {})
      .def("get_state", [](PyEnv& e) { return e.env().get_state(); },
           "The physical state, in Gymnasium's env.unwrapped.state order.")
      .def("set_state", [](PyEnv& e, const std::vector<double>& s) { e.env().set_state(s); }, py::arg("state"))
      .def_property_readonly("observation_space", &PyEnv::observation_space, py::return_value_policy::reference_internal)
      .def_property_readonly("action_space", &PyEnv::action_space, py::return_value_policy::reference_internal)
      .def_property_readonly("spec", [](PyEnv& e) { return EnvSpecView{e.env().spec()}; })
      .def_property_readonly("unwrapped", [](py::object self) { return self; })
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](PyEnv&, py::args) { return false; })
      .def("__repr__", [](PyEnv& e) { return "<rlarena.Env " + e.env().id() + ">"; });

  py::class_<PyVecEnv>(m, "VecEnv",
                       "num_envs copies of one env stepped together in C++. Arrays returned are views of "
                       "the VecEnv's buffers, overwritten in place by the next step/reset/recv: copy what you keep.")
      .def("reset", &PyVecEnv::reset, py::kw_only(), py::arg("seed") = py::none(), py::arg("options") = py::none(),
           "Resets every env (env i gets seed + i): (observations, info).")
      .def("step", &PyVecEnv::step, py::arg("actions"),
           "(observations, rewards, terminations, truncations, infos). A finished env resets in the same "
           "step: infos['final_obs'] holds its last observation where infos['_final_obs'] is set.")
      .def("async_reset", &PyVecEnv::async_reset, py::kw_only(), py::arg("seed") = py::none(),
           "EnvPool's async reset: the observations arrive through recv().")
      .def("send", &PyVecEnv::send, py::arg("actions"), py::arg("env_id") = py::none(),
           "EnvPool's send: steps the envs in env_id (all by default) with these actions.")
      .def("recv", &PyVecEnv::recv,
           "EnvPool's recv: the first batch_size envs to finish, as step() returns them; infos['env_id'] "
           "says which env each row is.")
      .def("close", [](PyVecEnv&) {})
      .def_property_readonly("num_envs", [](PyVecEnv& v) { return v.vec().num_envs(); })
      .def_property_readonly("batch_size", [](PyVecEnv& v) { return v.vec().batch_size(); })
      .def_property_readonly("observation_space", &PyVecEnv::observation_space, py::return_value_policy::reference_internal)
      .def_property_readonly("action_space", &PyVecEnv::action_space, py::return_value_policy::reference_internal)
      .def_property_readonly("single_observation_space", &PyVecEnv::single_observation_space,
                             py::return_value_policy::reference_internal)
      .def_property_readonly("single_action_space", &PyVecEnv::single_action_space,
                             py::return_value_policy::reference_internal)
      .def_property_readonly("spec", [](PyVecEnv& v) { return EnvSpecView{v.vec().spec()}; })
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](PyVecEnv&, py::args) { return false; })
      .def("__repr__", [](PyVecEnv& v) {
        return "<rlarena.VecEnv " + v.vec().spec().id + " x" + std::to_string(v.vec().num_envs()) + ">";
      });

  m.def("make", [](const std::string& id, py::kwargs kwargs) {
        py::dict options(kwargs);
        take_render_mode(options);
        return PyEnv(make(id, to_kwargs(options)));
      }, py::arg("id"),
      "gym.make: the env `id` with its options given as keyword arguments (max_episode_steps too).");
  m.def("make_vec", [](const std::string& id, int64_t num_envs, int threads, const py::object& seed,
                       int64_t batch_size, py::kwargs kwargs) {
        if (num_envs < 1) throw Error("num_envs=" + std::to_string(num_envs) + "; give 1 or more");
        if (threads < 1 || threads > num_envs)
          throw Error("threads=" + std::to_string(threads) + "; give 1 to num_envs (" + std::to_string(num_envs) +
                      ") threads");
        py::dict options(kwargs);
        take_render_mode(options);
        return std::make_unique<PyVecEnv>(id, num_envs, seed, threads, batch_size, to_kwargs(options));
      }, py::arg("id"), py::arg("num_envs"), py::arg("threads") = 1, py::arg("seed") = py::none(),
      py::arg("batch_size") = 0,
      "A vector env of num_envs copies stepped by `threads` threads (counting the caller). batch_size < "
      "num_envs makes recv() return the first batch_size envs to finish (EnvPool's async mode).");
  m.def("envs", []() { return Registry::global().ids(); }, "The registered env ids.");
}

}  // namespace rlarena::py_bind
