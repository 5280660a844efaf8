#include "engine/run_job.h"

#include "engine/device.h"
#include "train/memory_estimate.h"

#include "base/error.h"
#include "engine/session.h"

namespace moescope {
namespace {

// Posts the scheduled commands, writes the periodic checkpoint and turns the run log's stop
// (a write that failed) into an alert, on the training thread (the last observer, so the log has seen the
// step or state already).
class StepHooks final : public SessionObserver {
 public:
  StepHooks(Session& session, const RunJobSpec& spec, FallibleObserver* log,
            std::vector<SessionObserver*> alert_to)
      : session_(session), spec_(spec), log_(log), alert_to_(std::move(alert_to)) {}
  void on_step(const StepMetrics& m) override {
    for (const auto& s : spec_.schedule) {
      if (s.step == m.step) session_.post(s.command);
    }
    if (!spec_.checkpoint_path.empty() && spec_.checkpoint_every > 0 &&
        m.step % spec_.checkpoint_every == 0) {
      session_.save_checkpoint(spec_.checkpoint_path);
    }
    report_log_failure(m.step);
  }
  void on_state(const SessionState& s) override { report_log_failure(s.step); }

 private:
  void report_log_failure(int64_t step) {
    if (!log_) return;
    const std::string failure = log_->take_failure();
    if (failure.empty()) return;
    CollapseAlert alert;
    alert.step = step;
    alert.kind = AlertKind::LogWriteFailed;
    alert.layer = -1;  // the run's, not a layer's
    alert.evidence = failure + ". Training goes on without the log; the file opens as it is.";
    for (auto* o : alert_to_) o->on_alert(alert);
  }

  Session& session_;
  const RunJobSpec& spec_;
  FallibleObserver* log_;
  std::vector<SessionObserver*> alert_to_;
};

}  // namespace

RunJob::RunJob(RunJobSpec spec, std::vector<SessionObserver*> observers, LogFactory make_log)
    : spec_(std::move(spec)), observers_(std::move(observers)), make_log_(std::move(make_log)) {}

RunJob::~RunJob() = default;

void RunJob::post(Command command) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (std::holds_alternative<StopCommand>(command)) {
    stop_requested_ = true;
    if (session_) session_->cancel_surgery();  // a stop does not wait for a preview
  }
  if (session_) session_->post(std::move(command));
  else early_commands_.push_back(std::move(command));
}

void RunJob::cancel_surgery() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (session_) session_->cancel_surgery();
}

void RunJob::publish(const SessionState& state) {
  for (auto* o : observers_) o->on_state(state);
}

void RunJob::run() {
  SessionState loading;
  loading.state = RunState::Loading;
  loading.total_steps = spec_.config.train.steps;
  loading.message = "loading data and building the model";
  publish(loading);

  std::unique_ptr<Session> session;
  std::unique_ptr<SessionObserver> log;
  try {
    if (spec_.check_memory) {
      validate(spec_.config);  // the estimate reads sizes that must be in range
      check_memory(spec_.config, describe_device(resolve_device(spec_.config.device)));
    }
    session = std::make_unique<Session>(spec_.config);
    if (!spec_.resume_path.empty()) session->load_checkpoint(spec_.resume_path);
    if (spec_.inspect) session->prepare_inspect();
    info_ = session->run_info();
    step_ = session->step();
    if (make_log_) log = make_log_(info_);
  } catch (const std::exception& e) {
    SessionState failed = loading;
    failed.state = RunState::Failed;
    failed.message = e.what();
    publish(failed);
    throw;
  }
  if (log) session->add_observer(log.get());
  for (auto* o : observers_) session->add_observer(o);
  std::vector<SessionObserver*> alert_to = observers_;
  if (log) alert_to.insert(alert_to.begin(), log.get());
  StepHooks hooks(*session, spec_, dynamic_cast<FallibleObserver*>(log.get()), std::move(alert_to));
  session->add_observer(&hooks);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stop_requested_) {
      // Stopped while loading: say so, so no front end waits on "Loading" forever.
      SessionState stopped = loading;
      stopped.state = RunState::Stopped;
      stopped.step = step_;
      stopped.message = "stopped before the first step";
      publish(stopped);
      return;
    }
    session_ = session.get();
    for (auto& c : early_commands_) session->post(std::move(c));
    early_commands_.clear();
  }
  const auto detach = [this] {
    std::lock_guard<std::mutex> lock(mutex_);
    session_ = nullptr;
  };
  try {
    if (spec_.inspect) {
      try {
        session->inspect({}, /*finish=*/false);
      } catch (const std::exception& e) {
        SessionState failed;
        failed.state = RunState::Failed;
        failed.step = session->step();
        failed.message = e.what();
        for (auto* o : observers_) o->on_state(failed);
        throw;
      }
      session->post(PauseCommand{});
    }
    session->run();  // publishes Finished, Stopped or Failed
  } catch (...) {
    step_ = session->step();
    detach();
    throw;
  }
  step_ = session->step();
  detach();
  if (!spec_.checkpoint_path.empty()) session->save_checkpoint(spec_.checkpoint_path);
}

}  // namespace moescope
