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

TEST(Config, EveryFieldRoundTripsThroughAFile) {
  // Every field set away from its default (and from every other field), written by to_json,
  // read back by load_config_file, and compared field by field with what was set.
  RunConfig c;
  c.preset = "custom";
  c.device = "cuda:1";
  c.precision = "bf16";
  c.threads = 3;
  auto& m = c.model;
  m.task = "classification";
  m.d_model = 96;
  m.layers = 3;
  m.ffn = "dense";
  m.heads = 6;
  m.context = 40;
  m.stem_channels = 24;
  m.experts = 12;
  m.top_k = 3;
  m.expert_hidden = 120;
  m.shared_experts = 2;
  m.expert_granularity = 2;
  m.zero_experts = 1;
  m.copy_experts = 2;
  m.constant_experts = 3;
  m.expert_kernel = "grouped_mm";
  auto& r = c.router;
  r.kind = RouterKind::TopP;
  r.score = ScoreFunction::Sigmoid;
  r.normalize_gates = false;
  r.temperature = 1.3;
  r.jitter = 0.01;
  r.gumbel = 0.5;
  r.groups = 4;
  r.group_top_k = 2;
  r.capacity_factor = 1.25;
  r.drop_policy = DropPolicy::Position;
  r.top_p = 0.7;
  r.max_k = 5;
  r.d2s_steps = 99;
  r.d2s_start_temperature = 3.5;
  r.bias_balancing = true;
  r.bias_rate = 0.02;
  r.seq_aux_coef = 0.003;
  r.sinkhorn = true;
  r.sinkhorn_iters = 7;
  r.bias = true;
  r.init_skew = 0.4;
  r.init_std = 0.05;
  auto& t = c.train;
  t.steps = 777;
  t.batch_size = 17;
  t.lr = 4e-4;
  t.warmup_steps = 33;
  t.min_lr_ratio = 0.25;
  t.weight_decay = 0.07;
  t.grad_clip = 0.9;
  t.balance_coef = 0.02;
  t.z_loss_coef = 2e-4;
  t.eval_every = 21;
  t.eval_batches = 5;
  t.snapshot_every = 4;
  t.seed = 99;
  auto& d = c.data;
  d.fortunes_dir = "/tmp/f";
  d.fashion_mnist_dir = "/tmp/m";
  d.validation_share = 0.15;
  d.augment = false;

  test::TempDir dir;
  test::write_file(dir.path() / "all.json", to_json_string(c));
  const auto b = load_config_file(dir.file("all.json"));
  EXPECT_EQ(b.preset, c.preset);
  EXPECT_EQ(b.device, c.device);
  EXPECT_EQ(b.precision, c.precision);
  EXPECT_EQ(b.threads, c.threads);
  const auto& bm = b.model;
  EXPECT_EQ(bm.task, m.task);
  EXPECT_EQ(bm.d_model, m.d_model);
  EXPECT_EQ(bm.layers, m.layers);
  EXPECT_EQ(bm.ffn, m.ffn);
  EXPECT_EQ(bm.heads, m.heads);
  EXPECT_EQ(bm.context, m.context);
  EXPECT_EQ(bm.stem_channels, m.stem_channels);
  EXPECT_EQ(bm.experts, m.experts);
  EXPECT_EQ(bm.top_k, m.top_k);
  EXPECT_EQ(bm.expert_hidden, m.expert_hidden);
  EXPECT_EQ(bm.shared_experts, m.shared_experts);
  EXPECT_EQ(bm.expert_granularity, m.expert_granularity);
  EXPECT_EQ(bm.zero_experts, m.zero_experts);
  EXPECT_EQ(bm.copy_experts, m.copy_experts);
  EXPECT_EQ(bm.constant_experts, m.constant_experts);
  EXPECT_EQ(bm.expert_kernel, m.expert_kernel);
  const auto& br = b.router;
  EXPECT_EQ(br.kind, r.kind);
  EXPECT_EQ(br.score, r.score);
  EXPECT_EQ(br.normalize_gates, r.normalize_gates);
  EXPECT_EQ(br.temperature, r.temperature);
  EXPECT_EQ(br.jitter, r.jitter);
  EXPECT_EQ(br.gumbel, r.gumbel);
  EXPECT_EQ(br.groups, r.groups);
  EXPECT_EQ(br.group_top_k, r.group_top_k);
  EXPECT_EQ(br.capacity_factor, r.capacity_factor);
  EXPECT_EQ(br.drop_policy, r.drop_policy);
  EXPECT_EQ(br.top_p, r.top_p);
  EXPECT_EQ(br.max_k, r.max_k);
  EXPECT_EQ(br.d2s_steps, r.d2s_steps);
  EXPECT_EQ(br.d2s_start_temperature, r.d2s_start_temperature);
  EXPECT_EQ(br.bias_balancing, r.bias_balancing);
  EXPECT_EQ(br.bias_rate, r.bias_rate);
  EXPECT_EQ(br.seq_aux_coef, r.seq_aux_coef);
  EXPECT_EQ(br.sinkhorn, r.sinkhorn);
  EXPECT_EQ(br.sinkhorn_iters, r.sinkhorn_iters);
  EXPECT_EQ(br.bias, r.bias);
  EXPECT_EQ(br.init_skew, r.init_skew);
  EXPECT_EQ(br.init_std, r.init_std);
  const auto& bt = b.train;
  EXPECT_EQ(bt.steps, t.steps);
  EXPECT_EQ(bt.batch_size, t.batch_size);
  EXPECT_EQ(bt.lr, t.lr);
  EXPECT_EQ(bt.warmup_steps, t.warmup_steps);
  EXPECT_EQ(bt.min_lr_ratio, t.min_lr_ratio);
  EXPECT_EQ(bt.weight_decay, t.weight_decay);
  EXPECT_EQ(bt.grad_clip, t.grad_clip);
  EXPECT_EQ(bt.balance_coef, t.balance_coef);
  EXPECT_EQ(bt.z_loss_coef, t.z_loss_coef);
  EXPECT_EQ(bt.eval_every, t.eval_every);
  EXPECT_EQ(bt.eval_batches, t.eval_batches);
  EXPECT_EQ(bt.snapshot_every, t.snapshot_every);
  EXPECT_EQ(bt.seed, t.seed);
  EXPECT_EQ(b.data.fortunes_dir, d.fortunes_dir);
  EXPECT_EQ(b.data.fashion_mnist_dir, d.fashion_mnist_dir);
  EXPECT_EQ(b.data.validation_share, d.validation_share);
  EXPECT_EQ(b.data.augment, d.augment);
}

TEST(Config, AnUnknownChoiceNamesTheFileTheFieldAndTheKnownNames) {
  const auto message = error_of(R"({"preset": "lm-fortunes", "router": {"drop_policy": "oldest"}})");
  EXPECT_NE(message.find("run.json: router.drop_policy \"oldest\" is not one of score or position"),
            std::string::npos)
      << message;
}

TEST(Config, BadInputIsAClearErrorNamingTheField) {
  EXPECT_NE(error_of("{\"preset\": \"lm-fortunes\",").find("malformed JSON"), std::string::npos);
  // A number no double holds is the file's error too, named.
  const std::string overflow = error_of(R"({"preset": "lm-fortunes", "train": {"lr": 1e400}})");
  EXPECT_NE(overflow.find("run.json: malformed JSON ("), std::string::npos) << overflow;
  EXPECT_NE(overflow.find("number overflow parsing '1e400'"), std::string::npos) << overflow;
  EXPECT_NE(error_of(R"({"preset": "lm-fortunes", "model": {"experts": "8"}})").find("model.experts must be an integer"), std::string::npos);
  EXPECT_NE(error_of(R"({"preset": "lm-fortunes", "train": {"steps": 2.5}})").find("train.steps must be an integer"), std::string::npos);
  EXPECT_NE(error_of(R"({"preset": "lm-fortunes", "model": {"expert": 8}})").find("model.expert is not a known option"), std::string::npos);
  EXPECT_NE(error_of(R"({"preset": "lm-fortunes", "model": {"experts": 4, "top_k": 5}})").find("model.top_k = 5"), std::string::npos);
  EXPECT_NE(error_of(R"({"preset": "lm-fortunes", "train": {"lr": -1}})").find("train.lr"), std::string::npos);
  EXPECT_NE(error_of(R"({"preset": "lm-fortunes", "model": {"d_model": 100, "heads": 3}})").find("multiple of model.heads"), std::string::npos);
  EXPECT_NE(error_of(R"({"model": {}})").find("\"preset\""), std::string::npos);
  EXPECT_NE(error_of(R"([1, 2])").find("JSON object"), std::string::npos);
  EXPECT_NE(error_of(R"({"preset": "nope"})").find("run.json: unknown preset 'nope'"), std::string::npos);
  EXPECT_NE(error_of(R"({"preset": "lm-fortunes", "precision": "fp16"})").find("precision must be auto, fp32 or bf16"), std::string::npos);
  EXPECT_NE(error_of(R"({"preset": "lm-fortunes", "model": {"expert_kernel": "cutlass"}})").find("model.expert_kernel must be"), std::string::npos);
  EXPECT_NE(error_of(R"({"preset": "lm-fortunes", "model": {"ffn": "sparse"}})").find(R"(model.ffn must be "moe" or "dense", got "sparse")"), std::string::npos);
  EXPECT_NE(error_of(R"({"preset": "vision-fmnist", "model": {"ffn": "dense"}})").find(R"(model.ffn = "dense" is for the lm and fusion tasks)"), std::string::npos);
  EXPECT_EQ(error_of(R"({"preset": "lm-fortunes", "model": {"ffn": "dense", "expert_hidden": 512}})"), "");
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
