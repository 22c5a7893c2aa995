// Space: what an observation or action looks like (Gymnasium's spaces), and the
// flat byte layout its values take in env and batch buffers.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/rng.h"
#include "common/state_map.h"

namespace rlarena {

// Element types of buffers: float32 observations and continuous actions, uint8
// pixels, int8 MultiBinary (as Gymnasium), int64 discrete actions.
enum class DType : uint8_t { Float32, UInt8, Int8, Int64 };
size_t dtype_size(DType d);
const char* dtype_name(DType d);

class Space {
 public:
  enum class Kind : uint8_t { Box, Discrete, MultiDiscrete, MultiBinary, Tuple, Dict };

  // Box with per-element bounds; `low`/`high` have prod(shape) elements (row-major).
  static Space box(std::vector<double> low, std::vector<double> high, std::vector<int64_t> shape,
                   DType dtype = DType::Float32);
  // Box with the same bounds for every element.
  static Space box(double low, double high, std::vector<int64_t> shape,
                   DType dtype = DType::Float32);
  static Space discrete(int64_t n, int64_t start = 0);
  static Space multi_discrete(std::vector<int64_t> nvec);
  static Space multi_binary(int64_t n);
  // Composite spaces: their flat layout is the children's layouts concatenated in
  // order (Dict keeps insertion order), each child in its own dtype. Multi-agent envs
  // describe per-agent observations and actions this way.
  static Space tuple(std::vector<Space> children);
  static Space dict(std::vector<std::pair<std::string, Space>> children);

  Kind kind() const { return kind_; }
  bool is_composite() const { return kind_ == Kind::Tuple || kind_ == Kind::Dict; }
  // Element type of a leaf space (composites: their first child's, see is_composite).
  DType dtype() const { return dtype_; }
  const std::vector<int64_t>& shape() const { return shape_; }
  // Number of scalars in the flat layout (all children for composites).
  int64_t numel() const { return numel_; }
  size_t byte_size() const { return bytes_; }

  int64_t n() const { return n_; }          // Discrete
  int64_t start() const { return start_; }  // Discrete
  const std::vector<double>& low() const { return low_; }    // Box
  const std::vector<double>& high() const { return high_; }  // Box
  const std::vector<int64_t>& nvec() const { return nvec_; } // MultiDiscrete
  const std::vector<Space>& children() const { return children_; }
  const std::vector<std::string>& keys() const { return keys_; }  // Dict

  // Whether the flat value at `data` (byte_size() bytes) lies in the space.
  bool contains(const void* data) const;
  // Writes a uniformly drawn value (Gymnasium's rules for unbounded Box sides).
  void sample(Rng& rng, void* out) const;
  // Gymnasium-style text, e.g. "Box(-inf, inf, (4,), float32)", "Discrete(2)".
  std::string repr() const;

  // The space as named entries of a checkpoint under `prefix` (a checkpoint records
  // its spaces, so a policy loads without building an env), and back.
  void save_state(StateMap& out, const std::string& prefix) const;
  static Space load_state(const StateMap& in, const std::string& prefix);

  bool operator==(const Space& o) const;
  bool operator!=(const Space& o) const { return !(*this == o); }

 private:
  Space() = default;
  Kind kind_ = Kind::Box;
  DType dtype_ = DType::Float32;
  std::vector<int64_t> shape_;
  int64_t numel_ = 0;
  size_t bytes_ = 0;
  int64_t n_ = 0, start_ = 0;
  std::vector<double> low_, high_;
  std::vector<int64_t> nvec_;
  std::vector<Space> children_;
  std::vector<std::string> keys_;
};

std::string shape_repr(const std::vector<int64_t>& shape);
// A flat value of `space` as text for messages: "3", "[0.5, nan]".
std::string value_text(const Space& space, const void* value);
// An Error naming `owner` (e.g. "CartPole-v1") unless `action` is a valid value of
// `space`: finite for float Boxes (their bounds are the env's to clip), inside it otherwise.
void check_action_value(const Space& space, const void* action, const std::string& owner);

}  // namespace rlarena
