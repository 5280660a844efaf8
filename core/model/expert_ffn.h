// The experts' SwiGLU feed-forward over tokens sorted by expert, as one autograd function,
// with two kernels for the grouped GEMMs:
//
// - segments: for each expert segment (rows [o_e, o_e + counts[e]) of x) the input GEMM,
//   SwiGLU and the output GEMM run back to back while the segment is cache-resident; the
//   backward does the same per segment. Fastest on the CPU: running each stage over all T*k
//   rows instead streams every intermediate through main memory (measured 209 vs 163 ms for
//   the eager per-expert loop at E=64).
// - grouped_mm: each stage is one at::_grouped_mm call over all experts (CUTLASS grouped
//   GEMM on Hopper in bf16), with the expert offsets on the device, so the layer never
//   waits for the GPU to learn how many tokens each expert got. The default on CUDA.
//
// Both write each expert's weight gradients straight into its slice of the stacked
// gradients (no zero-filled per-expert copies); experts with no tokens get zero gradients.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

namespace moescope {

enum class ExpertKernel { automatic, segments, grouped_mm };

// "auto" | "segments" | "grouped_mm"; throws std::invalid_argument otherwise.
ExpertKernel parse_expert_kernel(const std::string& name);
const char* expert_kernel_name(ExpertKernel kernel);

// Whether at::_grouped_mm takes these operands: its strides must be 16-byte aligned, so d and
// h must be multiples of 16 bytes' worth of elements (8 in bf16, 4 in float32).
bool grouped_mm_fits(const torch::Tensor& x, const torch::Tensor& w_in, const torch::Tensor& w_out);

// The kernel `kernel` resolves to for these operands: automatic is grouped_mm on CUDA where
// it fits, segments elsewhere; an explicit grouped_mm that does not fit falls back to segments.
ExpertKernel resolve_expert_kernel(ExpertKernel kernel, const torch::Tensor& x,
                                   const torch::Tensor& w_in, const torch::Tensor& w_out);

// x: [N, d] sorted by expert, w_in: [E, d, 2h] (gate | up), w_out: [E, h, d],
// counts: E row counts summing to N -> [N, d]. x, w_in and w_out share one dtype.
torch::Tensor expert_ffn(const torch::Tensor& x, const torch::Tensor& w_in,
                         const torch::Tensor& w_out, const std::vector<int64_t>& counts,
                         ExpertKernel kernel = ExpertKernel::automatic);

// The grouped_mm kernel with the row counts as an int64 tensor [E] on x's device (no host
// sync); they must sum to N. Operands must satisfy grouped_mm_fits.
torch::Tensor expert_ffn_grouped(const torch::Tensor& x, const torch::Tensor& w_in,
                                 const torch::Tensor& w_out, const torch::Tensor& counts);

}  // namespace moescope
