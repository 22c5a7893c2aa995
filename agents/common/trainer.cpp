#include "agents/common/trainer.h"

namespace rlarena {

void Trainer::save(StateMap& state) {
  Parts parts;
  declare(parts);
  parts.save(state);
}

void Trainer::load(const StateMap& state) {
  Parts parts;
  declare(parts);
  parts.load(state);
}

}  // namespace rlarena
