#include "envs/core/preprocessing.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include "common/error.h"
#include "envs/core/image_space.h"

namespace rlarena {

namespace {

// OpenCV's INTER_AREA weights for shrinking `in` pixels to `out` along one axis: each
// output pixel averages the input cells it covers, partly covered cells by their share.
std::vector<std::vector<std::pair<int64_t, float>>> area_weights(int64_t in, int64_t out) {
  const double scale = static_cast<double>(in) / static_cast<double>(out);
  std::vector<std::vector<std::pair<int64_t, float>>> table(static_cast<size_t>(out));
  for (int64_t d = 0; d < out; ++d) {
    const double from = d * scale, to = from + scale;
    const int64_t first = static_cast<int64_t>(std::ceil(from)), last = static_cast<int64_t>(std::floor(to));
    auto& cells = table[static_cast<size_t>(d)];
    if (first - from > 1e-3) cells.emplace_back(first - 1, static_cast<float>((first - from) / scale));
    for (int64_t s = first; s < last; ++s) cells.emplace_back(s, static_cast<float>(1.0 / scale));
    if (to - last > 1e-3 && last < in)
      cells.emplace_back(last, static_cast<float>(std::min(std::min(to - last, 1.0), scale) / scale));
  }
  return table;
}

std::pair<int64_t, int64_t> parse_size(const std::string& text) {
  // "64" or "64,64" (height, width)
  std::stringstream in(text);
  std::string a, b;
  std::getline(in, a, ',');
  std::getline(in, b);
  try {
    size_t used = 0;
    const int64_t h = std::stoll(a, &used);
    if (used != a.size()) throw std::invalid_argument(a);
    int64_t w = h;
    if (!b.empty()) {
      w = std::stoll(b, &used);
      if (used != b.size()) throw std::invalid_argument(b);
    }
    if (h <= 0 || w <= 0) throw std::invalid_argument(text);
    return {h, w};
  } catch (const std::logic_error&) {
    throw Error("resize=" + text + " is not a size; give HEIGHT,WIDTH in pixels (e.g. resize=64,64) or one number");
  }
}

}  // namespace

const std::vector<std::string>& PreprocessOptions::names() {
  static const std::vector<std::string> keys = {"action_repeat", "resize", "grayscale", "frame_stack"};
  return keys;
}

PreprocessOptions PreprocessOptions::take(Kwargs& kwargs) {
  PreprocessOptions o;
  Kwargs rest;
  for (const auto& [key, value] : kwargs.items())
    if (std::find(names().begin(), names().end(), key) == names().end()) rest.set(key, value);
  o.action_repeat = kwargs.get_int("action_repeat", 1);
  if (o.action_repeat < 1)
    throw Error("action_repeat=" + std::to_string(o.action_repeat) + " must be at least 1 (1: each action once)");
  const std::string size = kwargs.get_string("resize", "");
  if (!size.empty()) std::tie(o.height, o.width) = parse_size(size);
  o.grayscale = kwargs.get_bool("grayscale", false);
  o.frame_stack = kwargs.get_int("frame_stack", 1);
  if (o.frame_stack < 1)
    throw Error("frame_stack=" + std::to_string(o.frame_stack) + " must be at least 1 (1: no stacking)");
  kwargs = rest;
  return o;
}

namespace {

// The observation space after preprocessing; refuses options the observations cannot take.
Space preprocessed_space(const Env& inner, const PreprocessOptions& o) {
  const Space& in = inner.observation_space();
  const auto& shape = in.shape();
  const bool image = is_image(in);
  if ((o.height > 0 || o.grayscale) && !image)
    throw Error(inner.id() + ": resize and grayscale take image observations (uint8 [height, width, channels]); "
                "its observations are " + in.repr());
  if (o.grayscale && shape[2] != 3)
    throw Error(inner.id() + ": grayscale takes RGB frames; its frames have " + std::to_string(shape[2]) +
                " channels");
  if (o.frame_stack > 1 && in.kind() != Space::Kind::Box)
    throw Error(inner.id() + ": frame_stack takes Box observations; its observations are " + in.repr());
  if (image) {
    const int64_t h = o.height > 0 ? o.height : shape[0], w = o.width > 0 ? o.width : shape[1];
    if (h > shape[0] || w > shape[1])
      throw Error(inner.id() + ": resize=" + std::to_string(h) + "," + std::to_string(w) + " is larger than its " +
                  std::to_string(shape[0]) + "x" + std::to_string(shape[1]) + " frames; resize only shrinks");
    return Space::box(0, 255, {h, w, (o.grayscale ? 1 : shape[2]) * o.frame_stack}, DType::UInt8);
  }
  if (o.frame_stack == 1) return in;
  std::vector<double> low, high;
  for (int64_t k = 0; k < o.frame_stack; ++k) {
    low.insert(low.end(), in.low().begin(), in.low().end());
    high.insert(high.end(), in.high().begin(), in.high().end());
  }
  std::vector<int64_t> stacked = shape;
  stacked.back() *= o.frame_stack;
  return Space::box(low, high, stacked, in.dtype());
}

}  // namespace

Preprocessed::Preprocessed(std::unique_ptr<Env> inner, const PreprocessOptions& options, int64_t time_limit)
    : Env(EnvSpec{inner->spec().id,
                  time_limit > 0 ? (time_limit + options.action_repeat - 1) / options.action_repeat : 0,
                  inner->spec().reward_threshold, inner->spec().default_kwargs, inner->spec().gymnasium_entry_point},
          preprocessed_space(*inner, options), inner->action_space()),
      inner_(std::move(inner)),
      options_(options),
      inner_limit_(time_limit) {
  const Space& in = inner_->observation_space();
  const auto& shape = in.shape();
  image_ = is_image(in);
  in_h_ = image_ ? shape[0] : 1, in_w_ = image_ ? shape[1] : 1, in_c_ = image_ ? shape[2] : in.numel();
  out_h_ = options_.height > 0 ? options_.height : in_h_;
  out_w_ = options_.width > 0 ? options_.width : in_w_;
  out_c_ = options_.grayscale ? 1 : in_c_;
  if (options_.height > 0) rows_ = area_weights(in_h_, out_h_), cols_ = area_weights(in_w_, out_w_);
  raw_.resize(in.byte_size());
  frames_.assign(observation_space().byte_size(), 0);
  set_info_keys(inner_->info_keys());
  set_state_names(inner_->state_names());
}

void Preprocessed::do_reset() {
  // The inner env draws its first state from this env's generator, so seed s gives
  // the inner env's seed-s episode; one draw moves the stream on for the next reset.
  inner_->set_rng_state(rng().state());
  rng().next_u64();
  inner_->reset_into(std::nullopt, raw_.data());
  std::fill(frames_.begin(), frames_.end(), 0);  // SB3's VecFrameStack starts from zeros
  push_frame();
}

Env::Transition Preprocessed::do_step(const void* action, double* info) {
  Transition total{0.0, false};
  // A repeat stops at termination and at the inner time limit (the last wrapped step
  // then truncates), as RL Zoo's FrameSkip around gym.make's TimeLimit.
  for (int64_t k = 0; k < options_.action_repeat && !total.terminated &&
                      !(inner_limit_ > 0 && inner_->elapsed_steps() >= inner_limit_); ++k) {
    const StepOut out = inner_->step_into(action, raw_.data(), info);
    total.reward += out.reward;
    total.terminated = out.terminated;
  }
  push_frame();
  return total;
}

void Preprocessed::push_frame() {
  const size_t element = dtype_size(observation_space().dtype());
  const size_t frame_bytes = static_cast<size_t>(out_c_) * element;
  const size_t pixel_bytes = frame_bytes * static_cast<size_t>(options_.frame_stack);
  const int64_t pixels = out_h_ * out_w_;
  // The oldest frame drops out: each pixel's channels move one frame to the left.
  if (options_.frame_stack > 1)
    for (int64_t p = 0; p < pixels; ++p) {
      uint8_t* px = frames_.data() + static_cast<size_t>(p) * pixel_bytes;
      std::memmove(px, px + frame_bytes, pixel_bytes - frame_bytes);
    }
  uint8_t* newest = frames_.data() + pixel_bytes - frame_bytes;
  if (!image_ || (rows_.empty() && !options_.grayscale)) {
    for (int64_t p = 0; p < pixels; ++p)
      std::memcpy(newest + static_cast<size_t>(p) * pixel_bytes, raw_.data() + static_cast<size_t>(p) * frame_bytes,
                  frame_bytes);
    return;
  }
  // Resize (area average) to [out_h, out_w, in_c], then grey-scale with Gymnasium's
  // weights 0.2125, 0.7154, 0.0721, truncated to uint8 as its astype does.
  const bool whole_cells = in_h_ % out_h_ == 0 && in_w_ % out_w_ == 0;
  const int64_t cell_area = (in_h_ / out_h_) * (in_w_ / out_w_);
  double rgb[3] = {0, 0, 0};
  for (int64_t y = 0; y < out_h_; ++y)
    for (int64_t x = 0; x < out_w_; ++x) {
      for (int64_t c = 0; c < in_c_; ++c) {
        double v;
        if (rows_.empty()) {
          v = raw_[static_cast<size_t>((y * in_w_ + x) * in_c_ + c)];
        } else if (whole_cells) {  // OpenCV's integer path: the cell's sum, rounded half up
          const int64_t fy = in_h_ / out_h_, fx = in_w_ / out_w_;
          int64_t sum = 0;
          for (int64_t dy = 0; dy < fy; ++dy)
            for (int64_t dx = 0; dx < fx; ++dx)
              sum += raw_[static_cast<size_t>(((y * fy + dy) * in_w_ + x * fx + dx) * in_c_ + c)];
          v = static_cast<double>((sum + cell_area / 2) / cell_area);
        } else {
          float acc = 0;
          for (const auto& [sy, wy] : rows_[static_cast<size_t>(y)])
            for (const auto& [sx, wx] : cols_[static_cast<size_t>(x)])
              acc += wy * wx * raw_[static_cast<size_t>((sy * in_w_ + sx) * in_c_ + c)];
          v = std::clamp(std::nearbyint(static_cast<double>(acc)), 0.0, 255.0);
        }
        if (!options_.grayscale) newest[static_cast<size_t>(y * out_w_ + x) * pixel_bytes + static_cast<size_t>(c)] =
            static_cast<uint8_t>(v);
        else rgb[c] = v;
      }
      if (options_.grayscale) {
        const double grey = rgb[0] * 0.2125 + rgb[1] * 0.7154 + rgb[2] * 0.0721;
        newest[static_cast<size_t>(y * out_w_ + x) * pixel_bytes] = static_cast<uint8_t>(grey);
      }
    }
}

void Preprocessed::observe(void* obs) const { std::memcpy(obs, frames_.data(), frames_.size()); }

void Preprocessed::read_state(double* out) const {
  const std::vector<double> state = inner_->get_state();
  std::copy(state.begin(), state.end(), out);
}

void Preprocessed::write_state(const double* in) {
  inner_->set_state(std::vector<double>(in, in + state_names().size()));
}

}  // namespace rlarena
