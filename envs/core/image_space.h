// Whether observations are images: a uint8 Box with three axes [height, width, channels],
// as Atari frames and CarRacing's pixels are. The preprocessing wrapper resizes and greys
// them; the pixel learners (PPO's and A2C's Nature CNN) take them and the others refuse them.
#pragma once
#include "envs/core/space.h"

namespace rlarena {

inline bool is_image(const Space& s) {
  return s.kind() == Space::Kind::Box && s.dtype() == DType::UInt8 && s.shape().size() == 3;
}

}  // namespace rlarena
