// moescope-cli commands on Hugging Face model folders (docs/hf-models.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace moescope {

struct ForwardCommand {
  std::string model;   // the model folder (config.json, safetensors)
  std::string tokens;  // JSON file: a list of equally long lists of token ids
  std::string out;     // safetensors file to write: logits and each MoE layer's router logits
  std::string dtype = "float32";
  std::string device = "cpu";
};

// forward: opens the model, runs the token ids through it, writes "logits" [B, S, vocab],
// "router_logits.L" [B*S, experts] and "balance_loss.L" [1] (MoE Scope's balance loss, 1 =
// balanced; float32) for each MoE layer L, and prints what it opened.
// Returns the exit status; throws moescope::Error for a bad folder, token file or id.
int run_forward(const ForwardCommand& command);

struct InspectCommand {
  std::string model;               // the model folder
  std::vector<std::string> texts;  // text files, each a domain named after the file
  int64_t tokens = 0;              // at most this many tokens of each file (0: all)
  int64_t sequence = 128;          // tokens per window
  int64_t batch_size = 8;          // windows per forward
  std::string log;                 // HDF5 run log to write (the window's views read it)
  std::string device = "cpu";
  std::string precision = "fp32";
  int64_t threads = 0;
};

// inspect: runs the text through the model (Session::inspect), writes the run log, prints
// the loss (nats per predicted token, perplexity), per file and overall, and each MoE
// layer's load balance.
int run_inspect(const InspectCommand& command);

// export-hf: a checkpoint of a model MoE Scope trained with model.architecture = "mixtral"
// as a MixtralForCausalLM folder (config.json, model.safetensors, a byte-level tokenizer); a
// checkpoint of a model opened from a Hugging Face folder (the window's File > Open model,
// then surgery or fine-tuning) as that folder's family, with its tokenizer.
int run_export_hf(const std::string& checkpoint, const std::string& out);

struct TokenizeCommand {
  std::string tokenizer;  // tokenizer.json, or a model folder holding one
  std::string text;       // a UTF-8 text file, encoded whole
  std::string texts;      // or: a JSON list of strings, each encoded on its own
  std::string out;        // JSON to write: {"ids": [[...]], "decoded": [...], "tokens": [[...]]}
  bool no_special = false;
};

// tokenize: encodes with MoE Scope's tokenizer (data/tokenizer.h); prints the token count
// and, for --text without --out, the ids. Throws moescope::Error for a bad file.
int run_tokenize(const TokenizeCommand& command);

}  // namespace moescope
