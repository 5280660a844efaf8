#include "view_text.h"

#include <QCoreApplication>

#include "run_store.h"

namespace moescope {

QString percent(double share) { return QStringLiteral("%1%").arg(share * 100.0, 0, 'f', 1); }

QString step_caption(const RunStore* store, qint64 shown_step, qint64 latest_step, bool following) {
  const bool replay = store && store->is_replay();
  if (following) {
    return (replay ? QCoreApplication::translate("moescope::ViewText", "step %1 of the replay")
                   : QCoreApplication::translate("moescope::ViewText", "step %1, following live"))
        .arg(shown_step);
  }
  return (replay ? QCoreApplication::translate("moescope::ViewText", "at step %1 (replay ends at step %2)")
                 : QCoreApplication::translate("moescope::ViewText", "at step %1 (live: step %2)"))
      .arg(shown_step)
      .arg(latest_step);
}

}  // namespace moescope
