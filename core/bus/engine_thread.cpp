#include "engine_thread.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine/session.h"
#include "base/error.h"
#include "event_bus.h"
#include "run_log_writer.h"

namespace moescope {

EngineThread::EngineThread(EngineJob job, EventBus* bus, QObject* parent)
    : QThread(parent), job_(std::move(job)), bus_(bus) {}

EngineThread::~EngineThread() { stop_and_wait(); }

void EngineThread::post(Command command) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (std::holds_alternative<StopCommand>(command)) stop_requested_ = true;
  if (session_) session_->post(std::move(command));
  else early_commands_.push_back(std::move(command));
}

void EngineThread::stop_and_wait() {
  post(StopCommand{});
  wait();
}

void EngineThread::run() {
  // Training yields to the window: a nicer engine thread (and the LibTorch worker threads it
  // creates, which inherit its nice value) cannot starve the GUI thread on a machine whose
  // cores it keeps busy. Measured longest GUI stall on 2 cores: 35.8 ms before, see bench/.
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 5);
  SessionState loading;
  loading.state = RunState::Loading;
  loading.total_steps = job_.config.train.steps;
  loading.message = "loading data and building the model";
  bus_->on_state(loading);
  try {
    Session session(job_.config);
    if (!job_.resume_path.empty()) session.load_checkpoint(job_.resume_path);
    std::unique_ptr<RunLogWriter> log;
    if (!job_.log_path.empty()) {
      log = std::make_unique<RunLogWriter>(job_.log_path, session.run_info());
      session.add_observer(log.get());
    }
    session.add_observer(bus_);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stop_requested_) return;
      session_ = &session;
      for (auto& c : early_commands_) session.post(std::move(c));
      early_commands_.clear();
    }
    try {
      session.run();
    } catch (const std::exception&) {
      // Session::run has published the failure as a SessionState already.
    }
    std::lock_guard<std::mutex> lock(mutex_);
    session_ = nullptr;
  } catch (const std::exception& e) {
    // Failures of loading and set-up (missing data, bad config, unwritable log).
    SessionState failed;
    failed.state = RunState::Failed;
    failed.total_steps = job_.config.train.steps;
    failed.message = e.what();
    bus_->on_state(failed);
  }
}

}  // namespace moescope
