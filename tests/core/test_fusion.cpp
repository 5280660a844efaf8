// The fusion model's expert layouts and its generative classifier, on known answers: which
// experts each modality's tokens can reach (moma, moiie), mot over one modality equals the
// plain block, and caption scoring picks the caption the logits favour.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>
#include <vector>

#include "data/captions.h"
#include "model/fusion_transformer.h"
#include "train/task.h"

namespace moescope {
namespace {

constexpr int64_t kCaption = 12;  // caption bytes per example in these small models

FusionTransformerOptions small_model(const std::string& layout, RouterKind kind = RouterKind::TopK) {
  ModelConfig m;
  m.task = "fusion";
  m.layout = layout;
  m.experts = 8;
  m.top_k = 2;
  m.expert_hidden = 16;
  RouterConfig r;
  r.kind = kind;
  return FusionTransformerOptions().caption(kCaption).d_model(32).heads(2).layers(2).moe(m).router(r);
}

// Inputs of B random images and random caption bytes: [B, 784 + kCaption - 1].
torch::Tensor random_input(int64_t B) {
  auto pixels = torch::randn({B, kImagePixels});
  auto text = torch::randint(32, 127, {B, kCaption - 1}).to(torch::kFloat32);
  return torch::cat({pixels, text}, 1);
}

// Routes one batch with every token tagged by its modality (domain 0 image, 1 text) and
// returns each layer's dispatched assignments per (modality, expert): [2, E] per layer.
std::vector<torch::Tensor> counts_by_modality(FusionTransformer& model, int64_t B) {
  const int64_t S = kImagePatches + kCaption - 1;
  auto domain = torch::cat({torch::zeros({B, kImagePatches}, torch::kInt64),
                            torch::ones({B, kCaption - 1}, torch::kInt64)}, 1).reshape(-1);
  for (auto& layer : model->moe_layers()) {
    layer->record_routing = true;
    layer->routing_tags = {domain, 2};
  }
  torch::NoGradGuard no_grad;
  model->forward(random_input(B));
  std::vector<torch::Tensor> out;
  for (auto& layer : model->moe_layers()) {
    EXPECT_EQ(layer->last_routing.tokens, B * S);
    out.push_back(layer->last_routing.domain_counts);
  }
  return out;
}

TEST(FusionLayouts, MomaRoutesEveryTokenWithinItsModalityGroup) {
  for (auto kind : {RouterKind::TopK, RouterKind::ExpertChoice}) {
    torch::manual_seed(1);
    FusionTransformer model(small_model("moma", kind));
    EXPECT_EQ(fusion_expert_modality(model->options.moe()), (std::vector<int64_t>{0, 0, 0, 0, 1, 1, 1, 1}));
    for (const auto& counts : counts_by_modality(model, 4)) {
      ASSERT_TRUE(counts.defined());
      const auto image = counts[0], text = counts[1];
      // No image token on a text expert (4-7), no text token on an image expert (0-3) ...
      EXPECT_EQ(image.slice(0, 4, 8).sum().item<double>(), 0.0) << counts;
      EXPECT_EQ(text.slice(0, 0, 4).sum().item<double>(), 0.0) << counts;
      // ... while each group is used by its own modality.
      EXPECT_GT(image.slice(0, 0, 4).sum().item<double>(), 0.0) << counts;
      EXPECT_GT(text.slice(0, 4, 8).sum().item<double>(), 0.0) << counts;
      if (kind == RouterKind::TopK) {  // every token gets its two experts inside its group
        EXPECT_EQ(image.sum().item<double>(), 2.0 * 4 * kImagePatches);
        EXPECT_EQ(text.sum().item<double>(), 2.0 * 4 * (kCaption - 1));
      }
    }
  }
}

TEST(FusionLayouts, MoiieCrossesModalitiesOnlyThroughTheSharedGroup) {
  torch::manual_seed(2);
  FusionTransformer model(small_model("moiie"));
  // 8 experts, 2 cross-modal: image 0-2, text 3-5, shared 6-7.
  EXPECT_EQ(fusion_expert_modality(model->options.moe()), (std::vector<int64_t>{0, 0, 0, 1, 1, 1, -1, -1}));
  double shared_image = 0.0, shared_text = 0.0;
  for (const auto& counts : counts_by_modality(model, 8)) {
    const auto image = counts[0], text = counts[1];
    EXPECT_EQ(image.slice(0, 3, 6).sum().item<double>(), 0.0) << counts;
    EXPECT_EQ(text.slice(0, 0, 3).sum().item<double>(), 0.0) << counts;
    shared_image += image.slice(0, 6, 8).sum().item<double>();
    shared_text += text.slice(0, 6, 8).sum().item<double>();
  }
  // The shared experts are open to both (a random router sends some of each there).
  EXPECT_GT(shared_image, 0.0);
  EXPECT_GT(shared_text, 0.0);
}

TEST(FusionLayouts, MotOverOneModalityIsThePlainBlockWithThatModalitysWeights) {
  for (const int64_t modality : {kImageModality, kTextModality}) {
    torch::manual_seed(3);
    auto options = small_model("mot");
    auto dense = options.moe();
    dense.ffn = "dense";
    options.moe(dense);
    FusionBlock mot(options, 1.0, 0);
    auto plain_options = options;
    dense.layout = "shared";
    plain_options.moe(dense);
    FusionBlock plain(plain_options, 1.0, 0);
    // The plain block takes the mot block's copy of that modality.
    torch::NoGradGuard no_grad;
    for (auto lists : {&FusionBlockImpl::norm1, &FusionBlockImpl::norm2, &FusionBlockImpl::qkv, &FusionBlockImpl::proj,
                        &FusionBlockImpl::ffn}) {
      auto from = ((*mot).*lists)->ptr(size_t(modality))->parameters();
      auto to = ((*plain).*lists)->ptr(0)->parameters();
      ASSERT_EQ(from.size(), to.size());
      for (size_t i = 0; i < from.size(); ++i) to[i].copy_(from[i]);
    }
    const int64_t B = 2, S = 10;
    auto x = torch::randn({B, S, 32});
    // All tokens of the one modality: the image copy for image_tokens = S, the text copy for 0.
    const int64_t image_tokens = modality == kImageModality ? S : 0;
    auto tags = torch::full({B * S}, modality, torch::kInt64);
    RouterLosses losses_a, losses_b;
    auto a = mot->forward(x, image_tokens, tags, losses_a);
    auto b = plain->forward(x, image_tokens, tags, losses_b);
    EXPECT_TRUE(torch::allclose(a, b, 1e-6, 1e-6)) << (a - b).abs().max();
    // With both modalities in the sequence the copies differ, and so does the output.
    auto mixed = mot->forward(x, S / 2, tags, losses_a);
    EXPECT_FALSE(torch::allclose(mixed, b, 1e-4, 1e-4));
  }
}

// The targets of a caption as the fusion task scores it: its bytes, the end byte, then
// padding (kCaptionPadding) up to `length`.
std::vector<int64_t> caption_target(const std::string& text, int64_t length) {
  std::vector<int64_t> t(size_t(length), kCaptionPadding);
  const std::string c = text + '\n';
  for (size_t j = 0; j < c.size() && j < size_t(length); ++j) t[j] = static_cast<unsigned char>(c[j]);
  return t;
}

TEST(CaptionLogLikelihood, SumsTheTargetsLogProbabilitiesAndSkipsPadding) {
  // Two positions over a vocabulary of 256: logits 0 except 2 at byte 'a' in position 0.
  auto logits = torch::zeros({1, 3, 256});
  logits[0][0]['a'] = 2.0;
  auto target = torch::tensor({int64_t('a'), int64_t('b'), kCaptionPadding}).view({1, 3});
  const double z0 = std::log(255.0 + std::exp(2.0)), z1 = std::log(256.0);
  EXPECT_NEAR(caption_log_likelihood(logits, target).item<double>(), (2.0 - z0) + (0.0 - z1), 1e-5);
}

TEST(CaptionLogLikelihood, TheGenerativeClassifierPicksTheCaptionTheModelPredicts) {
  // Logits that favour, position by position, the bytes of the first English caption of
  // "Bag" (and its end byte); the ten label captions scored like the fusion task does.
  const int64_t bag = 8, length = longest_caption() + 1;
  const auto favoured = caption_target(caption(bag, 0, 0), length);
  auto logits = torch::zeros({kCaptionClasses, length, 256});
  for (int64_t j = 0; j < length; ++j) {
    if (favoured[size_t(j)] != kCaptionPadding) logits.select(1, j).select(1, favoured[size_t(j)]).fill_(4.0);
  }
  std::vector<int64_t> targets;
  for (int64_t label = 0; label < kCaptionClasses; ++label) {
    const auto t = caption_target(caption(label, 0, 0), length);
    targets.insert(targets.end(), t.begin(), t.end());
  }
  auto target = torch::tensor(targets).view({kCaptionClasses, length});
  auto scores = caption_log_likelihood(logits, target);
  EXPECT_EQ(scores.argmax().item<int64_t>(), bag) << scores;
  // A shorter caption cannot win by leaving positions unscored: its end byte is predicted
  // where the logits expect more of "bag"'s caption.
  const int64_t bag_bytes = int64_t(caption(bag, 0, 0).size()) + 1;
  for (int64_t label = 0; label < kCaptionClasses; ++label) {
    if (label == bag) continue;
    EXPECT_LT(scores[label].item<double>(), scores[bag].item<double>() - 3.0)
        << caption(label, 0, 0) << " vs " << bag_bytes << " bytes of " << caption(bag, 0, 0);
  }
}

TEST(DomainLoss, AveragesEachDomainsTokensAndSkipsTheUntagged) {
  DomainLoss loss(3);
  loss.add(torch::tensor({1.0, 3.0, 5.0, 100.0}), torch::tensor({0, 0, 2, -1}, torch::kInt64));
  loss.add(torch::tensor({4.0}), torch::tensor({2}, torch::kInt64));
  const auto means = loss.means();
  ASSERT_EQ(means.size(), 3u);
  EXPECT_DOUBLE_EQ(means[0], 2.0);
  EXPECT_TRUE(std::isnan(means[1]));
  EXPECT_DOUBLE_EQ(means[2], 4.5);
}

}  // namespace
}  // namespace moescope
