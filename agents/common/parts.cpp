#include "agents/common/parts.h"

#include <sstream>

namespace rlarena {

namespace {

template <typename Saveable>
std::string archive_bytes(Saveable& object) {
  torch::serialize::OutputArchive archive;
  object.save(archive);
  std::ostringstream out;
  archive.save_to(out);
  return out.str();
}

}  // namespace

Parts& Parts::module(const std::string& name, torch::nn::Module& module) {
  return custom(
      name, [&module, name](StateMap& s) { put_text(s, name, archive_bytes(module)); },
      [&module, name](const StateMap& s) {
        std::istringstream in(get_text(s, name));
        torch::serialize::InputArchive archive;
        try {
          archive.load_from(in);
          module.load(archive);
        } catch (const c10::Error& e) {
          throw Error("checkpoint: '" + name + "' does not fit this recipe's network (" +
                      e.what_without_backtrace() + "); use the recipe the run was started with");
        }
      });
}

Parts& Parts::optimizer(const std::string& name, torch::optim::Optimizer& optimizer) {
  return custom(
      name, [&optimizer, name](StateMap& s) { put_text(s, name, archive_bytes(optimizer)); },
      [&optimizer, name](const StateMap& s) {
        std::istringstream in(get_text(s, name));
        torch::serialize::InputArchive archive;
        try {
          archive.load_from(in);
          optimizer.load(archive);
        } catch (const c10::Error& e) {
          throw Error("checkpoint: optimizer '" + name + "' does not fit (" + e.what_without_backtrace() + ")");
        }
      });
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
  parts_.push_back({name, std::move(save), std::move(load)});
  return *this;
}

void Parts::save(StateMap& state) const {
  for (const auto& p : parts_) p.save(state);
}

void Parts::load(const StateMap& state) const {
  for (const auto& p : parts_) p.load(state);
}

}  // namespace rlarena
