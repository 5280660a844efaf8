#include "hdf5_lock.h"

namespace moescope {

std::mutex& hdf5_mutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace moescope
