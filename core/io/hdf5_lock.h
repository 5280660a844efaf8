#pragma once

#include <mutex>
#include <string>

namespace moescope {

// Debian's HDF5 is built without thread safety: every HDF5 call in the process (the live
// writer on the engine thread, a replay reader on the GUI thread) holds this lock.
std::mutex& hdf5_mutex();

// The HDF5 library this build runs on ("1.10.8"), for Help > About.
std::string hdf5_version();

}  // namespace moescope
