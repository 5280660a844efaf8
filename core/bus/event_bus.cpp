#include "event_bus.h"

namespace moescope {

void register_event_types() {
  qRegisterMetaType<RunInfo>();
  qRegisterMetaType<StepMetrics>();
  qRegisterMetaType<RoutingSnapshot>();
  qRegisterMetaType<EvalResult>();
  qRegisterMetaType<SessionState>();
  qRegisterMetaType<TrajectorySnapshot>();
  qRegisterMetaType<CollapseAlert>();
  qRegisterMetaType<InterventionEvent>();
}

EventBus::EventBus(QObject* parent) : QObject(parent) { register_event_types(); }

}  // namespace moescope
