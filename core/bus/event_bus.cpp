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
  qRegisterMetaType<SurgeryPreview>();
  qRegisterMetaType<SurgeryApplied>();
  qRegisterMetaType<SurgeryRecord>();
}

EventBus::EventBus(QObject* parent) : QObject(parent) { register_event_types(); }

}  // namespace moescope
