#pragma once

#include <stdexcept>
#include <string>

namespace moescope {

// A problem the user can fix (bad config, missing data package, corrupt file). The message
// names the file or option and says what is wrong; front ends print it and exit non-zero.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace moescope
