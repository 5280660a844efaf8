// Runs a RunJob (core/engine/run_job.h, the same job moescope-cli runs) on its own QThread:
// loads the data, builds the model, writes the HDF5 log and trains, publishing to an
// EventBus. Commands posted before the session exists wait in the job's queue.
#pragma once

#include <QThread>

#include <memory>
#include <string>

#include "base/commands.h"
#include "train/config.h"

namespace moescope {

class EventBus;
class RunJob;

struct EngineJob {
  RunConfig config;
  std::string log_path;     // HDF5 run log; empty = none
  std::string resume_path;  // checkpoint to resume from; empty = fresh start
  bool inspect = false;     // run the text through the model once (RunJobSpec::inspect)
};

// The job that resumes the checkpoint at `path` with the config it was trained with (a pruned
// or merged model's shape included); `step` gets the steps it had trained. Throws
// moescope::Error naming the file when it is no readable checkpoint or its config is invalid.
// (Here rather than in the window, whose sources the translation scanner reads: it includes
// no LibTorch header.)
EngineJob checkpoint_job(const std::string& path, int64_t* step);

// The job that opens the Hugging Face model folder `dir` and runs the text files through it
// (File > Open model): its config from config.json (engine/recipe_config.h). Throws
// moescope::Error naming the file.
EngineJob hf_model_job(const std::string& dir, const std::vector<std::string>& texts);

class EngineThread : public QThread {
  Q_OBJECT
 public:
  EngineThread(EngineJob job, EventBus* bus, QObject* parent = nullptr);
  ~EngineThread() override;  // stops the run and waits for it

  void post(Command command);  // any thread
  void cancel_surgery();       // any thread: the running surgery preview stops
  void stop_and_wait();        // stop command, then join; the log is flushed and closed

 protected:
  void run() override;

 private:
  EventBus* bus_;
  std::unique_ptr<RunJob> job_;
};

}  // namespace moescope
