// move_rigidly: sets a Box2D robot's root body to a pose (x, y, angle) and velocity
// (vx, vy, angular), carrying its jointed parts along so each keeps its place and
// turn relative to the root: what write_state of a Box2D env can set.
#pragma once
#include <box2d/box2d.h>

#include <cmath>

namespace rlarena {

inline void move_rigidly(b2Body* root, b2Body* const* parts, int count, const double* in) {
  const b2Vec2 old = root->GetPosition();
  const float turn = static_cast<float>(in[2]) - root->GetAngle();
  const b2Vec2 p{static_cast<float>(in[0]), static_cast<float>(in[1])};
  const b2Vec2 v{static_cast<float>(in[3]), static_cast<float>(in[4])};
  const float c = std::cos(turn), s = std::sin(turn);
  for (int k = 0; k < count; ++k) {
    const b2Vec2 rel = parts[k]->GetPosition() - old;
    parts[k]->SetTransform(p + b2Vec2(c * rel.x - s * rel.y, s * rel.x + c * rel.y), parts[k]->GetAngle() + turn);
    parts[k]->SetLinearVelocity(v);
  }
  root->SetTransform(p, static_cast<float>(in[2]));
  root->SetLinearVelocity(v);
  root->SetAngularVelocity(static_cast<float>(in[5]));
  root->SetAwake(true);
}

}  // namespace rlarena
