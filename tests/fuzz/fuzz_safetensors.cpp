// libFuzzer: the safetensors reader (header, offsets, every tensor's bytes read back).
#include "data/safetensors.h"
#include "fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = moescope::fuzz::write_input("model.safetensors", data, size);
  moescope::fuzz::expect_clean(path, [&] {
    moescope::SafetensorsFile file(path);
    unsigned sum = 0;
    for (const auto& t : file.tensors()) {
      const uint8_t* bytes = file.data(t);
      for (uint64_t i = 0; i < t.end - t.begin; ++i) sum += bytes[i];  // ASan checks the span
    }
    for (const auto& [key, value] : file.metadata()) sum += key.size() + value.size();
    if (sum == 0xdeadbeef) std::fputc(' ', stderr);  // keeps the reads
  });
  return 0;
}
