#include "agents/common/parts.h"

#include <sstream>

namespace rlarena {

// A module or an optimizer, in torch's own archive format.
template <typename Archived>
Parts& Parts::archived(const std::string& name, Archived& object, const std::string& mismatch) {
  return custom(
      name,
      [&object, name](StateMap& s) {
        torch::serialize::OutputArchive archive;
        object.save(archive);
        std::ostringstream out;
        archive.save_to(out);
        put_text(s, name, out.str());
      },
      [&object, name, mismatch](const StateMap& s) {
        std::istringstream in(get_text(s, name));
        torch::serialize::InputArchive archive;
        try {
          archive.load_from(in);
          object.load(archive);
        } catch (const c10::Error& e) {
          throw Error("checkpoint: '" + name + "' " + mismatch + " (" + e.what_without_backtrace() + ")");
        }
      });
}

Parts& Parts::module(const std::string& name, torch::nn::Module& module) {
  return archived(name, module, "does not fit this recipe's network; use the recipe the run was started with");
}

Parts& Parts::optimizer(const std::string& name, torch::optim::Optimizer& optimizer) {
  return archived(name, optimizer, "does not fit this recipe's optimizer; use the recipe the run was started with");
}

Parts& Parts::tensor(const std::string& name, torch::Tensor& tensor) {
  return custom(
      name,
      [&tensor, name](StateMap& s) {
        const torch::Tensor t = tensor.detach().contiguous();
        const auto* p = static_cast<const uint8_t*>(t.data_ptr());
        s[name].assign(p, p + t.numel() * t.element_size());
      },
      [&tensor, name](const StateMap& s) {
        std::vector<uint8_t> bytes;
        get_state(s, name, bytes);
        if (bytes.size() != static_cast<size_t>(tensor.numel() * tensor.element_size()))
          throw Error("checkpoint: '" + name + "' has the wrong size (was the recipe changed since the checkpoint?)");
        torch::NoGradGuard no_grad;
        tensor.copy_(torch::from_blob(bytes.data(), tensor.sizes(), tensor.scalar_type()));
      });
}

Parts& Parts::rng(const std::string& name, Rng& rng) {
  return custom(
      name, [&rng, name](StateMap& s) { put_state(s, name, rng.state()); },
      [&rng, name](const StateMap& s) { rng.set_state(get_state_value<Rng::State>(s, name)); });
}

Parts& Parts::custom(const std::string& name, std::function<void(StateMap&)> save,
                     std::function<void(const StateMap&)> load) {
  // Two parts of one name would save over each other and load the same state twice.
  for (const auto& p : parts_)
    if (p.name == name) throw Error("two parts of one checkpoint are named '" + name + "'; give them different names");
  parts_.push_back({name, std::move(save), std::move(load)});
  return *this;
}

std::vector<std::string> Parts::names() const {
  std::vector<std::string> out;
  for (const auto& p : parts_) out.push_back(p.name);
  return out;
}

void Parts::save(StateMap& state) const {
  for (const auto& p : parts_) p.save(state);
}

void Parts::load(const StateMap& state) const {
  for (const auto& p : parts_) p.load(state);
}

void Stateful::save(StateMap& state) {
  Parts parts;
  declare(parts);
  parts.save(state);
}

void Stateful::load(const StateMap& state) {
  Parts parts;
  declare(parts);
  parts.load(state);
}

}  // namespace rlarena
