#include "base/error.h"
#include "train/config.h"

namespace moescope {

std::vector<std::string> preset_names() {
  return {"lm-fortunes", "vision-fmnist", "fusion-fmnist", "collapse-demo"};
}

RunConfig preset_config(const std::string& name) {
  RunConfig c;
  c.preset = name;
  if (name == "lm-fortunes") {
    // Byte-level MoE transformer on English, German, Spanish and Italian fortunes.
    return c;  // the defaults of config.h are this preset
  }
  if (name == "vision-fmnist") {
    c.model.task = "classification";
    c.model.d_model = 64;
    c.model.layers = 2;
    c.model.stem_channels = 32;
    c.model.experts = 8;
    c.model.top_k = 2;
    c.model.expert_hidden = 128;
    c.train.steps = 1400;  // three epochs of 60k images at batch 128
    c.train.batch_size = 128;
    c.train.lr = 3e-3;
    c.train.warmup_steps = 100;
    c.train.min_lr_ratio = 0.02;
    c.train.weight_decay = 0.05;
    c.train.eval_every = 200;
    c.train.snapshot_every = 10;
    return c;
  }
  if (name == "fusion-fmnist") {
    // Early fusion: 49 patches of a Fashion-MNIST image, then a caption of its label in
    // English, German, Spanish or Italian; one causal transformer over both, trained on the
    // caption bytes (docs/fusion.md). The layout (shared, moma, moiie, mot) is the question.
    c.model.task = "fusion";
    c.model.d_model = 128;
    c.model.layers = 4;
    c.model.heads = 4;
    c.model.experts = 8;
    c.model.top_k = 2;
    c.model.expert_hidden = 256;
    c.model.layout = "shared";
    c.train.steps = 1000;
    c.train.batch_size = 32;
    c.train.lr = 2e-3;
    c.train.eval_every = 250;
    c.train.eval_batches = 8;
    c.train.snapshot_every = 10;
    return c;
  }
  if (name == "collapse-demo") {
    // lm-fortunes built to collapse: no balance loss, no z-loss, and a router whose logit
    // bias starts 3 nats in favour of experts 0 and 1, so every token picks them and the
    // other six never see a token (docs/router-collapse.md fixes it live).
    c.train.steps = 400;
    c.train.balance_coef = 0.0;
    c.train.z_loss_coef = 0.0;
    c.train.eval_every = 50;
    c.router.bias = true;
    c.router.init_skew = 3.0;
    return c;
  }
  std::string known;
  for (const auto& n : preset_names()) known += (known.empty() ? "" : ", ") + n;
  throw Error("unknown preset '" + name + "' (known presets: " + known + ")");
}

}  // namespace moescope
