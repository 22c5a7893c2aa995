// Pictures of the classic-control envs, drawn as Gymnasium's pygame renderers draw
// them (same sizes, scales, shapes and colours), on our Canvas.
#pragma once
#include "envs/core/array.h"

namespace rlarena::classic_drawing {

Array cartpole(double x, double theta, double x_threshold, double pole_length);
Array pendulum(double theta);
Array mountain_car(double position, double goal_position);
Array acrobot(double theta1, double theta2);

}  // namespace rlarena::classic_drawing
