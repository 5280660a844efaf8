// Text and number formatting the views share, so they say the same thing the same way.
#pragma once

#include <QString>

namespace moescope {

class RunStore;

// "12.3%" for a share of 0.123.
QString percent(double share);

// What a view says about the step it shows: "step 40, following live", "step 150 of the
// replay", or, when the focus moved to an older step, "at step 40 (live: step 150)" /
// "at step 40 (replay ends at step 150)". `store` may be null (a view on its own: live).
QString step_caption(const RunStore* store, qint64 shown_step, qint64 latest_step, bool following);

}  // namespace moescope
