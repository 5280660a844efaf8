// Compiled by the build.* tests with the include roots of moescope_model: the include below
// points up (model -> train) and must not be found; with train's root it compiles.
#include "train/config.h"

int main() { return moescope::RunConfig().train.steps > 0 ? 0 : 1; }
