// The CLI's progress line: step, loss, validation loss, tokens/s and ETA; alerts and
// interventions on lines of their own.
#pragma once

#include <chrono>
#include <cstdio>

#include "base/observer.h"

namespace moescope {

class ProgressPrinter final : public SessionObserver {
 public:
  explicit ProgressPrinter(std::FILE* out);
  void on_run_info(const RunInfo& info) override;
  void on_step(const StepMetrics& m) override;
  void on_eval(const EvalResult& e) override;
  void on_state(const SessionState& s) override;
  void on_alert(const CollapseAlert& a) override;
  void on_intervention(const InterventionEvent& e) override;

  const EvalResult& last_eval() const { return last_eval_; }

 private:
  void print_line(bool final_line);

  std::FILE* out_;
  bool tty_;
  RunInfo info_;
  StepMetrics last_{};
  EvalResult last_eval_{};
  double smoothed_tokens_per_s_ = 0.0;
  int64_t first_step_ = -1;
  std::chrono::steady_clock::time_point started_, last_print_;
};

}  // namespace moescope
