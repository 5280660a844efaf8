// libFuzzer: a Hugging Face model folder's config.json.
#include "fuzz/fuzz_target.h"
#include "hf/hf_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  moescope::fuzz::write_input("config.json", data, size);
  const std::string& dir = moescope::fuzz::scratch_dir();
  moescope::fuzz::expect_clean(dir, [&] { moescope::read_hf_config(dir); });
  return 0;
}
