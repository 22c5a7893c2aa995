// Parts: the named pieces of a learner's or a data source's state (modules,
// optimizers, tensors, generators, counters, objects with their own save_state),
// declared once in one list that both save and load walk, so the two cannot drift
// apart. A checkpoint is the StateMap they fill.
#pragma once
#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

#include "common/rng.h"
#include "common/state_map.h"

namespace rlarena {

class Parts {
 public:
  // Parameters and buffers, in torch's own archive format.
  Parts& module(const std::string& name, torch::nn::Module& module);
  // Per-parameter state (Adam's moments and step counts) and options.
  Parts& optimizer(const std::string& name, torch::optim::Optimizer& optimizer);
  // A tensor's values (e.g. a learned temperature); loading keeps its shape and dtype.
  Parts& tensor(const std::string& name, torch::Tensor& tensor);
  Parts& rng(const std::string& name, Rng& rng);
  // A plain value (a counter) or a vector of plain values.
  template <typename T>
  Parts& value(const std::string& name, T& value) {
    return custom(name, [&value, name](StateMap& s) { put_state(s, name, value); },
                  [&value, name](const StateMap& s) { load_value(s, name, value); });
  }
  // An object with save_state(StateMap&, prefix) and load_state(const StateMap&, prefix)
  // (a ReplayStore, a VecWriter, a VecEnv, a sampler).
  template <typename T>
  Parts& object(const std::string& prefix, T& object) {
    return custom(prefix, [&object, prefix](StateMap& s) { object.save_state(s, prefix); },
                  [&object, prefix](const StateMap& s) { object.load_state(s, prefix); });
  }
  // Any other state. Names (and object prefixes) must differ from each other.
  Parts& custom(const std::string& name, std::function<void(StateMap&)> save,
                std::function<void(const StateMap&)> load);
  // The names declared so far (a checkpoint's keys are these, or start with these prefixes).
  std::vector<std::string> names() const;

  void save(StateMap& state) const;
  void load(const StateMap& state) const;

 private:
  template <typename Archived>
  Parts& archived(const std::string& name, Archived& object, const std::string& mismatch);
  template <typename T>
  static void load_value(const StateMap& s, const std::string& name, std::vector<T>& v) {
    get_state(s, name, v);
  }
  template <typename T>
  static void load_value(const StateMap& s, const std::string& name, T& v) {
    v = get_state_value<T>(s, name);
  }

  struct Part {
    std::string name;
    std::function<void(StateMap&)> save;
    std::function<void(const StateMap&)> load;
  };
  std::vector<Part> parts_;
};

// Something whose whole state is the Parts it declares (a learner, a trainer).
class Stateful {
 public:
  virtual ~Stateful() = default;
  virtual void declare(Parts& parts) = 0;
  void save(StateMap& state);
  void load(const StateMap& state);
};

}  // namespace rlarena
