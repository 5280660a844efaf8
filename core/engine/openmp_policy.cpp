#include "engine/openmp_policy.h"

#include <unistd.h>

#include <cstdlib>

namespace moescope {

void bound_openmp_spinning(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr || std::getenv("GOMP_SPINCOUNT") != nullptr) return;
  setenv("GOMP_SPINCOUNT", "10000", 1);
  execv("/proc/self/exe", argv);
  // execv failed (no /proc): carry on with libgomp's default.
}

}  // namespace moescope
