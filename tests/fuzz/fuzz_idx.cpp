// libFuzzer: the IDX reader of Fashion-MNIST (gzip or plain).
#include "data/idx_reader.h"
#include "fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = moescope::fuzz::write_input("images-idx3-ubyte.gz", data, size);
  moescope::fuzz::expect_clean(path, [&] {
    auto array = moescope::read_idx(path);
    int64_t count = 1;
    for (int64_t d : array.dims) count *= d;
    if (count != static_cast<int64_t>(array.data.size())) std::abort();  // the header's promise
  });
  return 0;
}
