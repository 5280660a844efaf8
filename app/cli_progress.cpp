#include "cli_progress.h"

#include <unistd.h>

#include <cmath>
#include <string>

namespace moescope {
namespace {

std::string duration_text(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--";
  const auto s = static_cast<long>(seconds + 0.5);
  char text[32];
  if (s >= 3600) std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
  return text;
}

}  // namespace

ProgressPrinter::ProgressPrinter(std::FILE* out) : out_(out), tty_(isatty(fileno(out)) != 0) {}

void ProgressPrinter::on_run_info(const RunInfo& info) {
  info_ = info;
  first_step_ = -1;  // a new run (the phases of a recipe share one printer)
  smoothed_tokens_per_s_ = 0.0;
  started_ = last_print_ = std::chrono::steady_clock::now();
  std::fprintf(out_, "model:  %s\nparams: %.2fM (%.2fM active per token)\ndevice: %s\n",
               info.model_summary.c_str(), double(info.parameters) / 1e6,
               double(info.active_parameters) / 1e6, info.device.c_str());
  std::fflush(out_);
}

void ProgressPrinter::on_step(const StepMetrics& m) {
  if (first_step_ < 0) {
    first_step_ = m.step - 1;
    started_ = std::chrono::steady_clock::now();
  }
  last_ = m;
  smoothed_tokens_per_s_ = smoothed_tokens_per_s_ == 0.0
                               ? m.tokens_per_s
                               : 0.9 * smoothed_tokens_per_s_ + 0.1 * m.tokens_per_s;
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_print_).count();
  if (since >= (tty_ ? 0.2 : 5.0) || m.step == info_.total_steps) {
    print_line(false);
    last_print_ = now;
  }
}

void ProgressPrinter::on_eval(const EvalResult& e) {
  last_eval_ = e;
  if (tty_) print_line(true);  // ends the \r progress line before the eval line
  if (info_.task == "lm") {
    std::fprintf(out_, "eval step %lld: validation loss %.4f nats/byte = %.3f bits/byte, next-byte accuracy %.2f%%\n",
                 static_cast<long long>(e.step), e.loss, e.loss / std::log(2.0), 100.0 * e.accuracy);
  } else if (info_.task == "fusion") {
    std::fprintf(out_, "eval step %lld: caption loss %.4f nats/byte, caption-scoring accuracy %.2f%% (%lld test images)\n",
                 static_cast<long long>(e.step), e.loss, 100.0 * e.accuracy, static_cast<long long>(e.samples));
  } else {
    std::fprintf(out_, "eval step %lld: test loss %.4f, test accuracy %.2f%% (%lld images)\n",
                 static_cast<long long>(e.step), e.loss, 100.0 * e.accuracy,
                 static_cast<long long>(e.samples));
  }
  // Per domain, where the task splits its loss (the languages of lm-fortunes and fusion-fmnist).
  std::string split;
  for (size_t d = 0; d < e.domain_loss.size() && d < info_.domains.domains.size(); ++d) {
    if (std::isnan(e.domain_loss[d])) continue;
    char part[96];
    std::snprintf(part, sizeof part, "%s%s %.3f", split.empty() ? "" : ", ", info_.domains.domains[d].c_str(),
                  e.domain_loss[d] / std::log(2.0));
    split += part;
  }
  if (!split.empty()) std::fprintf(out_, "  bits/byte by domain: %s\n", split.c_str());
  std::fflush(out_);
}

void ProgressPrinter::on_alert(const CollapseAlert& a) {
  if (tty_) print_line(true);
  std::fprintf(out_, "alert at step %lld: %s: %s\n", static_cast<long long>(a.step),
               to_string(a.kind), a.evidence.c_str());
  std::fflush(out_);
}

void ProgressPrinter::on_intervention(const InterventionEvent& e) {
  if (tty_) print_line(true);
  std::fprintf(out_, "at step %lld: %s = %g (%s)\n", static_cast<long long>(e.step),
               e.kind.c_str(), e.value, e.detail.c_str());
  std::fflush(out_);
}

void ProgressPrinter::on_state(const SessionState& s) {
  if (s.state == RunState::Running && s.message.empty()) return;
  // moescope-cli says "loading" itself, and prints a set-up failure as its error message.
  if (s.state == RunState::Loading) return;
  if (s.state == RunState::Failed && first_step_ < 0) return;
  if (tty_) std::fputc('\n', out_);
  std::fprintf(out_, "%s at step %lld%s%s\n", to_string(s.state), static_cast<long long>(s.step),
               s.message.empty() ? "" : ": ", s.message.c_str());
  std::fflush(out_);
}

void ProgressPrinter::print_line(bool final_line) {
  if (first_step_ < 0) return;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const double done = double(last_.step - first_step_);
  const double eta = done > 0 ? elapsed / done * double(info_.total_steps - last_.step) : NAN;
  char line[256];
  std::snprintf(line, sizeof line,
                "step %lld/%lld  loss %.4f  aux %.3f  lr %.2e  %.0f tok/s  elapsed %s  ETA %s",
                static_cast<long long>(last_.step), static_cast<long long>(info_.total_steps),
                last_.loss, last_.aux_loss, last_.lr, smoothed_tokens_per_s_,
                duration_text(elapsed).c_str(), duration_text(eta).c_str());
  if (tty_) std::fprintf(out_, "\r%-100s%s", line, final_line ? "\n" : "");
  else std::fprintf(out_, "%s\n", line);
  std::fflush(out_);
}

}  // namespace moescope
