// Multi-agent envs for Python with PettingZoo's parallel API: possible_agents,
// agents (emptied when the episode ends, as PettingZoo's), observation_space(agent)
// and action_space(agent), reset(seed) -> (observations, infos) and
// step(actions) -> (observations, rewards, terminations, truncations, infos), all
// dicts keyed by agent. Turn-based games put the legal actions of each agent in
// infos[agent]["action_mask"]; only the current player's action is read.
#include "python/parallel.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <memory>
#include <vector>

#include "common/error.h"
#include "envs/multi/multi_registry.h"
#include "python/convert.h"
#include "python/spaces.h"

namespace rlarena::py_bind {

namespace py = pybind11;

namespace {

class PyParallelEnv {
 public:
  explicit PyParallelEnv(std::unique_ptr<MultiAgentEnv> env) : env_(std::move(env)) {
    for (int a = 0; a < env_->num_agents(); ++a) {
      obs_spaces_.emplace_back(env_->observation_space(a));
      act_spaces_.emplace_back(env_->action_space(a));
    }
  }
  MultiAgentEnv& env() { return *env_; }

  py::tuple reset(const py::object& seed, const py::object& options) {
    no_options(options);
    const std::vector<Array> obs = env_->reset(seed_of(seed));
    live_ = true;
    py::dict observations;
    for (int a = 0; a < env_->num_agents(); ++a) observations[py::str(name(a))] = to_numpy(obs[a]);
    return py::make_tuple(observations, infos());
  }

  py::tuple step(const py::dict& actions) {
    if (!live_)
      throw Error(env_->id() + ": step() with no agents left; the episode ended (or never began): call reset()");
    for (auto item : actions) {
      const std::string agent = py::str(item.first);
      env_->agent_index(agent);  // an unknown name is an Error naming the agents
    }
    const int mover = env_->current_player();
    std::vector<Array> acts;
    for (int a = 0; a < env_->num_agents(); ++a) {
      Array x = Array::zeros(env_->action_space(a));
      const py::str key(name(a));
      if (actions.contains(key)) {
        x.bytes = action_bytes(env_->action_space(a), actions[key], 0);
      } else if (mover < 0 || mover == a) {
        throw Error(env_->id() + ": step() has no action for agent " + name(a) + "; give one for every agent" +
                    (mover >= 0 ? " whose turn it is" : ""));
      }
      acts.push_back(std::move(x));
    }
    const MultiStepResult r = env_->step(acts);
    py::dict obs, rewards, terminations, truncations;
    for (int a = 0; a < env_->num_agents(); ++a) {
      const py::str key(name(a));
      obs[key] = to_numpy(r.obs[a]);
      rewards[key] = r.rewards[a];
      terminations[key] = static_cast<bool>(r.terminated[a]);
      truncations[key] = static_cast<bool>(r.truncated[a]);
    }
    const py::dict info = infos();
    if (r.done()) live_ = false;
    return py::make_tuple(obs, rewards, terminations, truncations, info);
  }

  py::list agents() const {
    py::list out;
    if (live_)
      for (const auto& n : env_->agents()) out.append(n);
    return out;
  }
  PySpace& observation_space(const std::string& agent) { return obs_spaces_.at(env_->agent_index(agent)); }
  PySpace& action_space(const std::string& agent) { return act_spaces_.at(env_->agent_index(agent)); }
  // MPE's state(): every agent's observation, concatenated.
  py::array state() const {
    std::vector<std::vector<float>> obs(env_->num_agents());
    std::vector<void*> ptrs;
    for (int a = 0; a < env_->num_agents(); ++a) {
      if (env_->observation_space(a).dtype() != DType::Float32)
        throw Error(env_->id() + " has no float32 state to concatenate");
      obs[a].resize(env_->observation_space(a).numel());
      ptrs.push_back(obs[a].data());
    }
    env_->observe_into(ptrs.data());
    std::vector<float> all;
    for (const auto& o : obs) all.insert(all.end(), o.begin(), o.end());
    py::array_t<float> out(static_cast<py::ssize_t>(all.size()));
    std::copy(all.begin(), all.end(), out.mutable_data());
    return out;
  }

 private:
  std::string name(int a) const { return env_->agents()[a]; }
  py::dict infos() const {
    py::dict out;
    for (int a = 0; a < env_->num_agents(); ++a) {
      py::dict info;
      if (env_->turn_based()) {
        const std::vector<uint8_t> mask = env_->action_mask(a);
        py::array_t<int8_t> m(static_cast<py::ssize_t>(mask.size()));
        std::copy(mask.begin(), mask.end(), m.mutable_data());
        info["action_mask"] = m;
      }
      out[py::str(name(a))] = info;
    }
    return out;
  }

  std::unique_ptr<MultiAgentEnv> env_;
  std::vector<PySpace> obs_spaces_, act_spaces_;
  bool live_ = false;
};

}  // namespace

void bind_parallel(py::module_& m) {
  py::class_<PyParallelEnv>(m, "ParallelEnv",
                            "A multi-agent env with PettingZoo's parallel API (dicts keyed by agent name).")
      .def("reset", &PyParallelEnv::reset, py::kw_only(), py::arg("seed") = py::none(),
           py::arg("options") = py::none(), "Starts an episode: (observations, infos).")
      .def("step", &PyParallelEnv::step, py::arg("actions"),
           "(observations, rewards, terminations, truncations, infos), dicts keyed by agent.")
      .def("observation_space", &PyParallelEnv::observation_space, py::arg("agent"),
           py::return_value_policy::reference_internal)
      .def("action_space", &PyParallelEnv::action_space, py::arg("agent"), py::return_value_policy::reference_internal)
      .def("state", &PyParallelEnv::state, "Every agent's observation, concatenated in agent order.")
      .def("get_state", [](PyParallelEnv& e) { return e.env().get_state(); },
           "The world's state (MPE: every agent's x, y, vx, vy, then every landmark's, then the env's choices).")
      .def("set_state", [](PyParallelEnv& e, const std::vector<double>& s) { e.env().set_state(s); }, py::arg("state"))
      .def_property_readonly("agents", &PyParallelEnv::agents)
      .def_property_readonly("possible_agents", [](PyParallelEnv& e) { return e.env().agents(); })
      .def_property_readonly("num_agents", [](PyParallelEnv& e) { return py::len(e.agents()); })
      .def_property_readonly("max_num_agents", [](PyParallelEnv& e) { return e.env().num_agents(); })
      .def_property_readonly("metadata", [](PyParallelEnv& e) {
        py::dict d;
        d["name"] = e.env().id();
        d["is_parallelizable"] = true;
        return d;
      })
      .def_property_readonly("unwrapped", [](py::object self) { return self; })
      .def("close", [](PyParallelEnv&) {})
      .def("__repr__", [](PyParallelEnv& e) { return "<rlarena.ParallelEnv " + e.env().id() + ">"; });

  m.def("make_parallel", [](const std::string& id, py::kwargs kwargs) {
    py::dict options(kwargs);
    take_render_mode(options);
    return PyParallelEnv(make_multi(id, to_kwargs(options)));
  }, py::arg("id"), "A multi-agent env by id (simple_spread_v3, ConnectFour-v0, ...), PettingZoo's parallel API.");
  m.def("parallel_envs", []() { return MultiRegistry::global().ids(); }, "The registered multi-agent env ids.");
}

}  // namespace rlarena::py_bind
