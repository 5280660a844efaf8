// One run, assembled the same way for every front end: the window's engine thread and
// moescope-cli both hand a RunJob what to train and whom to tell, and call run(). It builds
// the session (publishing Loading, and Failed when set-up fails), resumes from a checkpoint,
// attaches the run log, posts scripted commands, writes periodic and final checkpoints, and
// stops cleanly when asked at any moment, loading included.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <deque>
#include <string>
#include <vector>

#include "base/commands.h"
#include "base/observer.h"
#include "train/config.h"

namespace moescope {

class Session;

// A command to post once `step` steps have finished (moescope-cli --intervene).
struct ScheduledCommand {
  int64_t step = 0;
  Command command;
};

struct RunJobSpec {
  RunConfig config;
  std::string resume_path;      // checkpoint to resume from; empty = fresh start
  std::string checkpoint_path;  // written when the run ends (finished or stopped); empty = none
  int64_t checkpoint_every = 0;  // also every N steps (0 = only at the end)
  std::vector<ScheduledCommand> schedule;
  // Run the task's text through the model first (Session::inspect; a Hugging Face model
  // opened in the window), then wait paused: surgery previews and applies on the opened
  // model, Resume fine-tunes it to config.train.steps, Stop ends the run.
  bool inspect = false;
  // Refuse a config whose estimated peak memory exceeds what is available (train/memory_estimate.h)
  // before building anything; false: try anyway (--ignore-memory-estimate).
  bool check_memory = true;
};

// Builds the run log's observer once the run is described (the log lives in moescope_io,
// above the engine, so the front end passes it in). Returns null for no log.
using LogFactory = std::function<std::unique_ptr<SessionObserver>(const RunInfo&)>;

class RunJob {
 public:
  // Observers are not owned and must outlive run().
  RunJob(RunJobSpec spec, std::vector<SessionObserver*> observers, LogFactory make_log = {});
  ~RunJob();
  RunJob(const RunJob&) = delete;
  RunJob& operator=(const RunJob&) = delete;

  // Any thread. Commands posted before the session exists wait and are handed over when it
  // does; a stop while the run is loading ends it as Stopped before the first step.
  void post(Command command);
  // Any thread: a surgery preview that is calibrating stops and fails with "cancelled" (it
  // runs on the training thread, so a command would wait for it).
  void cancel_surgery();

  // Loads, trains and checkpoints on the calling thread. Every outcome is published as a
  // SessionState (Finished, Stopped or Failed); set-up and training errors are then
  // rethrown (moescope::Error for what the user can fix).
  void run();

  // The step the run reached (0 before it trains).
  int64_t step() const { return step_; }
  const RunInfo& run_info() const { return info_; }

 private:
  void publish(const SessionState& state);
  void on_step_finished(Session& session, int64_t step);

  RunJobSpec spec_;
  std::vector<SessionObserver*> observers_;
  LogFactory make_log_;
  RunInfo info_;
  int64_t step_ = 0;

  std::mutex mutex_;
  Session* session_ = nullptr;  // valid while run() trains
  std::deque<Command> early_commands_;
  bool stop_requested_ = false;
};

}  // namespace moescope
