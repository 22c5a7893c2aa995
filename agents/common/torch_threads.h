// Torch thread settings. LibTorch starts at 1 intra-op thread here and small
// networks ran slower at 2 on these machines (DESIGN.md), so every program sets
// the count explicitly from its options instead of trusting the default.
#pragma once

namespace rlarena {

// Sets LibTorch's intra-op threads (>= 1); returns the count now in force.
int set_torch_threads(int intra_op_threads);

}  // namespace rlarena
