#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "test_support.h"
#include "train/config.h"

namespace moescope {
namespace {

std::string error_of(const std::string& json_text) {
  test::TempDir dir;
  test::write_file(dir.path() / "run.json", json_text);
  try {
    validate(load_config_file(dir.file("run.json")));
  } catch (const Error& e) {
    return e.what();
  }
  return {};
}

TEST(Config, PresetsAreValid) {
  for (const auto& name : preset_names()) EXPECT_NO_THROW(validate(preset_config(name))) << name;
  EXPECT_EQ(preset_config("vision-fmnist").model.task, "classification");
}

TEST(Config, UnknownPresetListsTheKnownOnes) {
  try {
    preset_config("gpt-5");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("lm-fortunes"), std::string::npos);
  }
}

TEST(Config, FileOverridesThePreset) {
  test::TempDir dir;
  test::write_file(dir.path() / "run.json",
                   R"({"preset": "vision-fmnist", "model": {"experts": 16, "top_k": 4}, "train": {"lr": 0.01}})");
  auto c = load_config_file(dir.file("run.json"));
  EXPECT_EQ(c.preset, "vision-fmnist");
  EXPECT_EQ(c.model.experts, 16);
  EXPECT_EQ(c.model.top_k, 4);
  EXPECT_DOUBLE_EQ(c.train.lr, 0.01);
  EXPECT_EQ(c.train.batch_size, 128);  // untouched preset value
}

TEST(Config, RoundTripsThroughJson) {
  auto c = preset_config("vision-fmnist");
  c.train.steps = 77;
  RunConfig back;
  apply_json(back, to_json(c), "memory");
  EXPECT_EQ(to_json_string(back), to_json_string(c));
}

TEST(Config, BadInputIsAClearErrorNamingTheField) {
  EXPECT_NE(error_of("{\"preset\": \"lm-fortunes\",").find("malformed JSON"), std::string::npos);
  EXPECT_NE(error_of(R"({"preset": "lm-fortunes", "model": {"experts": "8"}})").find("model.experts must be an integer"), std::string::npos);
  EXPECT_NE(error_of(R"({"preset": "lm-fortunes", "train": {"steps": 2.5}})").find("train.steps must be an integer"), std::string::npos);
  EXPECT_NE(error_of(R"({"preset": "lm-fortunes", "model": {"expert": 8}})").find("model.expert is not a known option"), std::string::npos);
  EXPECT_NE(error_of(R"({"preset": "lm-fortunes", "model": {"experts": 4, "top_k": 5}})").find("model.top_k = 5"), std::string::npos);
  EXPECT_NE(error_of(R"({"preset": "lm-fortunes", "train": {"lr": -1}})").find("train.lr"), std::string::npos);
  EXPECT_NE(error_of(R"({"preset": "lm-fortunes", "model": {"d_model": 100, "heads": 3}})").find("multiple of model.heads"), std::string::npos);
  EXPECT_NE(error_of(R"({"model": {}})").find("\"preset\""), std::string::npos);
  EXPECT_NE(error_of(R"([1, 2])").find("JSON object"), std::string::npos);
  EXPECT_NE(error_of(R"({"preset": "nope"})").find("unknown preset"), std::string::npos);
  EXPECT_NE(error_of(R"({"preset": "lm-fortunes", "precision": "fp16"})").find("precision must be auto, fp32 or bf16"), std::string::npos);
  EXPECT_NE(error_of(R"({"preset": "lm-fortunes", "model": {"expert_kernel": "cutlass"}})").find("model.expert_kernel must be"), std::string::npos);
}

TEST(Config, PrecisionAndExpertKernelComeFromTheFile) {
  test::TempDir dir;
  test::write_file(dir.path() / "run.json",
                   R"({"preset": "lm-fortunes", "precision": "bf16", "model": {"expert_kernel": "grouped_mm"}})");
  auto c = load_config_file(dir.file("run.json"));
  EXPECT_EQ(c.precision, "bf16");
  EXPECT_EQ(c.model.expert_kernel, "grouped_mm");
  EXPECT_EQ(preset_config("lm-fortunes").precision, "auto");
}

TEST(Config, MissingFileIsAClearError) {
  EXPECT_THROW(load_config_file("/nonexistent/run.json"), Error);
}

}  // namespace
}  // namespace moescope
