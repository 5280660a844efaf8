// libFuzzer: a run's JSON config (load, validate, and write back).
#include "fuzz/fuzz_target.h"
#include "train/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = moescope::fuzz::write_input("run.json", data, size);
  moescope::fuzz::expect_clean(path, [&] {
    auto config = moescope::load_config_file(path);
    try {
      moescope::validate(config);  // front ends name the file around its message
    } catch (const moescope::Error&) {
    }
    std::string text = moescope::to_json_string(config);
    if (text.empty()) std::abort();
  });
  return 0;
}
