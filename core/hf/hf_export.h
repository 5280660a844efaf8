// Writes a model with a Hugging Face family's decoder as a folder transformers loads with
// from_pretrained: config.json with the model's expert count, model.safetensors with the
// family's own tensor names (one tensor per expert, as save_pretrained writes them), and the
// source folder's tokenizer files. A model opened from a folder (and pruned, merged or
// quantised) goes back the way it came; a model MoE Scope trained with architecture mixtral
// gets a MixtralForCausalLM config and a byte-level tokenizer of its 256 bytes.
#pragma once

#include <string>

#include "hf/hf_config.h"
#include "model/transformer_lm.h"

namespace moescope {

// Why `model` cannot be written as a Hugging Face folder ("" when it can): a Hugging Face
// config has one expert count for all layers and no logit -> expert map, and no dynamic
// skipping; MoE Scope's own decoder, its router variants and expert kinds are not Mixtral's.
std::string hf_export_refusal(TransformerLMImpl& model, const RouterConfig& router);

// Writes `model` to out_dir (created; refused when it exists and is not empty). source_dir:
// the folder it was opened from (its config.json is the base, its tokenizer files are
// copied), or "" for a model MoE Scope trained (architecture mixtral). Everything is written
// in a temporary folder beside out_dir and renamed into place: nothing is half-written.
// Throws moescope::Error with hf_export_refusal's reason, or naming the file that failed.
void save_hf_model(TransformerLMImpl& model, const RouterConfig& router, const std::string& source_dir,
                   const std::string& out_dir);

}  // namespace moescope
