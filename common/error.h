// Error: the exception for mistakes a user can make (bad id, kwarg, action, shape).
// Its message names the thing and the fix; the CLI prints it on one line, exit 2.
#pragma once
#include <stdexcept>
#include <string>

namespace rlarena {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A name that names nothing: an unknown env id, a dataset id not in the Minari root.
// (Python sees it as KeyError, other Errors as ValueError.)
class NotFound : public Error {
 public:
  using Error::Error;
};

}  // namespace rlarena
