// The run log's /surgery table: previews, applications and undos written by a real session
// and read back with their plans, as the replay shows them.
#include <gtest/gtest.h>

#include "engine/session.h"
#include "run_log_reader.h"
#include "surgery_plan.h"
#include "run_log_writer.h"
#include "session_recorder.h"
#include "test_support.h"

namespace moescope {
namespace {

TEST(SurgeryLog, PreviewsApplicationsAndUndosRoundTripWithTheirPlans) {
  test::TempDir dir;
  test::write_fortunes_tree(dir.path() / "fortunes", 60);
  Session session(test::tiny_surgery_config((dir.path() / "fortunes").string(), 6));
  const auto path = dir.file("run.h5");
  SurgeryPreview merged;
  {
    RunLogWriter writer(path, session.run_info());
    session.add_observer(&writer);
    test::Recorder r;
    r.after_step = [&](const StepMetrics& m) {
      SurgeryRequest request;
      request.calibration_tokens = 200;
      request.kind = "merge";
      request.method = "hc-smoe";
      request.experts = 3;
      if (m.step == 2) {
        const auto p = session.preview_surgery(request);
        session.apply_surgery(p.id);
        session.undo_surgery();
      }
      if (m.step == 4) {
        merged = session.preview_surgery(request);
        session.apply_surgery(merged.id);
      }
    };
    session.add_observer(&r);
    session.run();
  }
  const auto log = read_run_log(path);
  ASSERT_EQ(log.surgery.size(), 5u);
  std::vector<std::string> actions;
  for (const auto& s : log.surgery) actions.push_back(s.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"preview", "apply", "undo", "preview", "apply"}));
  const auto& back = log.surgery[3].preview;
  EXPECT_EQ(back.step, 4);
  EXPECT_EQ(back.id, merged.id);
  EXPECT_EQ(back.description, merged.description);
  EXPECT_EQ(back.request.method, "hc-smoe");
  EXPECT_EQ(back.request.experts, 3);
  EXPECT_DOUBLE_EQ(back.after.loss, merged.after.loss);
  EXPECT_TRUE(std::isnan(back.after.accuracy) == std::isnan(merged.after.accuracy));
  EXPECT_EQ(back.parameters_after, merged.parameters_after);
  ASSERT_EQ(back.layers.size(), 2u);
  EXPECT_EQ(back.layers[1].groups, merged.layers[1].groups);
  EXPECT_EQ(back.layers[1].similarity, merged.layers[1].similarity);
  EXPECT_EQ(back.layers[1].dendrogram, merged.layers[1].dendrogram);
  EXPECT_EQ(back.layers[0].usage, merged.layers[0].usage);
  EXPECT_DOUBLE_EQ(back.layers[0].reconstruction_error, merged.layers[0].reconstruction_error);
  // The log follows the shape: merged at 2, undone at 2, merged again at 4.
  ASSERT_GE(log.shape_changes.size(), 3u);
  EXPECT_EQ(log.shape_changes.back().step, 4);
  EXPECT_EQ(log.shape_changes.back().shape.layers[0].experts, 3);
  EXPECT_EQ(log.shape_changes.back().shape.layers[0].logit_to_expert.size(), 4u);
  int surgeries = 0;
  for (const auto& e : log.interventions) surgeries += e.kind == "surgery";
  EXPECT_EQ(surgeries, 2);
}

TEST(SurgeryLog, APlanThatIsNotJsonIsAnErrorNamingTheDataset) {
  SurgeryPreview p;
  EXPECT_THROW(parse_surgery_plan("{\"request\": 3}", p), BadSurgeryPlan);
  EXPECT_THROW(parse_surgery_plan("not json", p), BadSurgeryPlan);
  SurgeryPreview q;
  q.request.kind = "skip";
  q.layers.resize(1);
  q.layers[0].experts_before = 2;
  q.layers[0].similarity = {1.0, 0.5, 0.5, 1.0};
  q.layers[0].gini = kNaN;
  SurgeryPreview r;
  parse_surgery_plan(surgery_plan_json(q), r);
  EXPECT_EQ(r.request.kind, "skip");
  EXPECT_EQ(r.layers[0].similarity, q.layers[0].similarity);
  EXPECT_TRUE(std::isnan(r.layers[0].gini));
  q.layers[0].similarity = {1.0};  // not 2 x 2
  EXPECT_THROW(parse_surgery_plan(surgery_plan_json(q), r), BadSurgeryPlan);
}

}  // namespace
}  // namespace moescope
