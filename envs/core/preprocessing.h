// Preprocessed: the options every env takes on top of its own, for learning from
// pixels: action repeat, resize, grey-scale and frame stack, as RL Zoo's
// FrameSkip, Gymnasium's ResizeObservation and GrayscaleObservation and SB3's
// VecFrameStack do, applied in that order (make(id, kwargs) wraps the env when any
// of them is given).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "envs/core/env.h"

namespace rlarena {

struct PreprocessOptions {
  int64_t action_repeat = 1;  // env steps per step, rewards summed, cut short at termination
  int64_t height = 0, width = 0;  // 0: no resize
  bool grayscale = false;
  int64_t frame_stack = 1;  // observations stacked along the last axis, oldest first

  bool any() const { return action_repeat != 1 || height > 0 || grayscale || frame_stack != 1; }
  // Takes the four options out of `kwargs` (they are not the inner env's).
  static PreprocessOptions take(Kwargs& kwargs);
  static const std::vector<std::string>& names();
};

class Preprocessed final : public Env {
 public:
  // `inner` was made without a time limit; `time_limit` is the inner env's, in its steps.
  Preprocessed(std::unique_ptr<Env> inner, const PreprocessOptions& options, int64_t time_limit);

  Array render() override { return inner_->render(); }
  bool set_state_replays() const override { return inner_->set_state_replays(); }
  bool heuristic_action(void* action) const override { return inner_->heuristic_action(action); }
  const Env& inner() const { return *inner_; }

 protected:
  void do_reset() override;
  Transition do_step(const void* action, double* info) override;
  void observe(void* obs) const override;
  void read_state(double* out) const override;
  void write_state(const double* in) override;

 private:
  // The inner observation, resized and grey-scaled, into the newest frame of the stack.
  void push_frame();

  std::unique_ptr<Env> inner_;
  PreprocessOptions options_;
  int64_t inner_limit_;            // the inner env's time limit, in its own steps (0: none)
  bool image_;                    // the inner observation is uint8 [height, width, channels]
  int64_t in_h_, in_w_, in_c_;    // the inner observation's shape (1, numel, 1 for vectors)
  int64_t out_h_, out_w_, out_c_; // one preprocessed frame
  std::vector<uint8_t> raw_;      // the inner env's observation
  std::vector<uint8_t> frames_;   // [out_h, out_w, frame_stack * out_c] (channels last), or stacked vectors
  std::vector<std::vector<std::pair<int64_t, float>>> rows_, cols_;  // area-resize weights
};

}  // namespace rlarena
