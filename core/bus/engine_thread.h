// Runs a Session on its own QThread: loads the data, builds the model, writes the HDF5 log
// and trains, publishing to an EventBus. Commands posted before the session exists wait in
// a queue and are handed over as soon as it does.
#pragma once

#include <QThread>

#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "base/commands.h"
#include "train/config.h"

namespace moescope {

class EventBus;
class Session;

struct EngineJob {
  RunConfig config;
  std::string log_path;     // HDF5 run log; empty = none
  std::string resume_path;  // checkpoint to resume from; empty = fresh start
};

class EngineThread : public QThread {
  Q_OBJECT
 public:
  EngineThread(EngineJob job, EventBus* bus, QObject* parent = nullptr);
  ~EngineThread() override;  // stops the run and waits for it

  void post(Command command);  // any thread
  void stop_and_wait();        // stop command, then join; the log is flushed and closed

 protected:
  void run() override;

 private:
  EngineJob job_;
  EventBus* bus_;
  std::mutex mutex_;
  Session* session_ = nullptr;  // owned by run(); valid while it trains
  std::deque<Command> early_commands_;
  bool stop_requested_ = false;
};

}  // namespace moescope
