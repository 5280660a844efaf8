#include "engine_thread.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine/recipe_config.h"
#include "engine/run_job.h"
#include "base/error.h"
#include "event_bus.h"
#include "run_log_writer.h"
#include "train/checkpoint.h"

namespace moescope {

EngineJob checkpoint_job(const std::string& path, int64_t* step) {
  EngineJob job;
  job.config = checkpoint_config(path, step);
  validate(job.config);
  job.resume_path = path;
  return job;
}

EngineJob hf_model_job(const std::string& dir, const std::vector<std::string>& texts) {
  EngineJob job;
  job.config = hf_run_config(dir, texts);
  validate(job.config);
  job.inspect = true;
  return job;
}

EngineThread::EngineThread(EngineJob job, EventBus* bus, QObject* parent)
    : QThread(parent), bus_(bus) {
  RunJobSpec spec;
  spec.config = std::move(job.config);
  spec.resume_path = std::move(job.resume_path);
  spec.inspect = job.inspect;
  LogFactory make_log;
  if (!job.log_path.empty()) {
    make_log = [path = job.log_path](const RunInfo& info) -> std::unique_ptr<SessionObserver> {
      return std::make_unique<RunLogWriter>(path, info);
    };
  }
  job_ = std::make_unique<RunJob>(std::move(spec), std::vector<SessionObserver*>{bus_}, make_log);
}

EngineThread::~EngineThread() { stop_and_wait(); }

void EngineThread::post(Command command) { job_->post(std::move(command)); }

void EngineThread::cancel_surgery() { job_->cancel_surgery(); }

void EngineThread::stop_and_wait() {
  post(StopCommand{});
  wait();
}

void EngineThread::run() {
  // Training yields to the window: a nicer engine thread (and the LibTorch worker threads it
  // creates, which inherit its nice value) cannot starve the GUI thread on a machine whose
  // cores it keeps busy. Measured longest GUI stall on 2 cores: 35.8 ms before, see bench/.
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 5);
  try {
    job_->run();
  } catch (const std::exception&) {
    // The job has published the failure as a SessionState (set-up or training).
  }
}

}  // namespace moescope
