#pragma once

#include <mutex>

namespace moescope {

// Debian's HDF5 is built without thread safety: every HDF5 call in the process (the live
// writer on the engine thread, a replay reader on the GUI thread) holds this lock.
std::mutex& hdf5_mutex();

}  // namespace moescope
