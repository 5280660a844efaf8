// The memory estimate: its parameter count against the models actually built (every task and
// decoder), and the refusal of a config that cannot fit. Its bytes against measured peak RSS
// are checked by tests/python/test_memory_estimate.py.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "base/error.h"
#include "engine/run_job.h"
#include "engine/session.h"
#include "test_support.h"
#include "train/memory_estimate.h"

namespace moescope {
namespace {

class MemoryEstimateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_fortunes_tree(dir_.path() / "fortunes", 30);
    test::write_fashion_mnist(dir_.path() / "fmnist", 64, 32);
  }
  RunConfig preset(const std::string& name) const {
    auto c = preset_config(name);
    c.data.fortunes_dir = (dir_.path() / "fortunes").string();
    c.data.fashion_mnist_dir = (dir_.path() / "fmnist").string();
    c.data.validation_share = 0.1;
    c.data.caption_eval_images = 16;
    c.device = "cpu";
    c.threads = 1;
    return c;
  }
  static int64_t built_parameters(const RunConfig& c) {
    Session session(c);
    return session.run_info().parameters;
  }
  test::TempDir dir_;
};

TEST_F(MemoryEstimateTest, CountsTheParametersOfEveryPresetAndDecoderWithoutBuildingIt) {
  std::vector<std::pair<std::string, RunConfig>> configs;
  for (const auto& name : preset_names()) configs.emplace_back(name, preset(name));
  auto dense = preset("lm-fortunes");
  dense.model.ffn = "dense";
  configs.emplace_back("lm-fortunes dense", dense);
  auto mixtral = preset("lm-fortunes");
  mixtral.model.architecture = "mixtral";
  mixtral.model.kv_heads = 2;
  configs.emplace_back("lm-fortunes mixtral", mixtral);
  auto shared = preset("lm-fortunes");
  shared.model.shared_experts = 1;
  shared.model.expert_granularity = 2;
  shared.model.zero_experts = 1;
  shared.model.constant_experts = 1;
  configs.emplace_back("lm-fortunes fine-grained + shared", shared);
  for (const auto& layout : {"moma", "moiie", "mot"}) {
    auto fusion = preset("fusion-fmnist");
    fusion.model.layout = layout;
    configs.emplace_back(std::string("fusion-fmnist ") + layout, fusion);
  }
  for (const auto& [name, c] : configs) {
    const double built = double(built_parameters(c));
    const double estimated = double(estimate_parameters(c.model));
    EXPECT_NEAR(estimated / built, 1.0, 0.02) << name << ": estimated " << estimated << ", built " << built;
  }
}

TEST_F(MemoryEstimateTest, AConfigThatCannotFitIsRefusedBeforeAnythingIsAllocated) {
  auto c = preset("lm-fortunes");
  c.model.experts = 64;
  c.model.expert_hidden = 60000;  // 64 x 3 x 128 x 60 000 x 4 layers: 5.9 G parameters
  const auto need = estimate_memory(c);
  EXPECT_GT(need.parameters, int64_t(5'800'000'000));
  EXPECT_GT(need.total(), 16.0 * need.parameters);  // weights, gradients and AdamW alone
  const auto have = memory_available("cpu");
  ASSERT_GT(have.bytes, 0.0) << have.source;
  ASSERT_LT(have.bytes, need.total()) << "this machine has more than " << need.summary();

  RunJobSpec spec;
  spec.config = c;
  RunJob job(spec, {});
  try {
    job.run();
    ADD_FAILURE() << "not refused";
  } catch (const Error& e) {
    const std::string message = e.what();
    for (const char* words : {"needs about", "GiB", "AdamW", "available", "--ignore-memory-estimate"}) {
      EXPECT_NE(message.find(words), std::string::npos) << message;
    }
  }
  // The tiny config fits.
  EXPECT_LT(estimate_memory(preset("lm-fortunes")).total(), have.bytes);
}

TEST(MemoryAvailable, IsTheMachinesAvailableMemoryOrLess) {
  const auto a = memory_available("cpu");
  const double pages = double(sysconf(_SC_PHYS_PAGES)) * double(sysconf(_SC_PAGE_SIZE));
  EXPECT_GT(a.bytes, 0.0);
  EXPECT_LE(a.bytes, pages);
  EXPECT_FALSE(a.source.empty());
  EXPECT_EQ(bytes_text(1.5 * 1024 * 1024 * 1024), "1.5 GiB");
  EXPECT_EQ(bytes_text(320.0 * 1024 * 1024), "320 MiB");
}

}  // namespace
}  // namespace moescope
