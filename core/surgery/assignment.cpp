#include "surgery/assignment.h"

#include <limits>

namespace moescope {

std::vector<int64_t> linear_assignment(const torch::Tensor& cost) {
  TORCH_CHECK(cost.dim() == 2 && cost.size(0) == cost.size(1), "linear_assignment needs a square matrix, got ",
              cost.sizes());
  const int64_t n = cost.size(0);
  const auto c = cost.to(torch::kCPU, torch::kFloat64).contiguous();
  const double* a = c.data_ptr<double>();
  const double inf = std::numeric_limits<double>::infinity();
  // Shortest augmenting paths with row potentials u and column potentials v; rows and
  // columns are 1-based, column 0 is the virtual start of each path.
  std::vector<double> u(size_t(n + 1), 0.0), v(size_t(n + 1), 0.0), min_to(size_t(n + 1));
  std::vector<int64_t> row_of(size_t(n + 1), 0), way(size_t(n + 1), 0);
  std::vector<char> used(size_t(n + 1));
  for (int64_t i = 1; i <= n; ++i) {
    row_of[0] = i;
    int64_t col = 0;
    std::fill(min_to.begin(), min_to.end(), inf);
    std::fill(used.begin(), used.end(), 0);
    do {
      used[size_t(col)] = 1;
      const int64_t row = row_of[size_t(col)];
      double delta = inf;
      int64_t next = 0;
      const double* cost_row = a + (row - 1) * n;
      for (int64_t j = 1; j <= n; ++j) {
        if (used[size_t(j)]) continue;
        const double reduced = cost_row[j - 1] - u[size_t(row)] - v[size_t(j)];
        if (reduced < min_to[size_t(j)]) {
          min_to[size_t(j)] = reduced;
          way[size_t(j)] = col;
        }
        if (min_to[size_t(j)] < delta) {
          delta = min_to[size_t(j)];
          next = j;
        }
      }
      for (int64_t j = 0; j <= n; ++j) {
        if (used[size_t(j)]) {
          u[size_t(row_of[size_t(j)])] += delta;
          v[size_t(j)] -= delta;
        } else {
          min_to[size_t(j)] -= delta;
        }
      }
      col = next;
    } while (row_of[size_t(col)] != 0);
    do {  // flip the path
      const int64_t prev = way[size_t(col)];
      row_of[size_t(col)] = row_of[size_t(prev)];
      col = prev;
    } while (col != 0);
  }
  std::vector<int64_t> assignment(static_cast<size_t>(n));
  for (int64_t j = 1; j <= n; ++j) assignment[size_t(row_of[size_t(j)] - 1)] = j - 1;
  return assignment;
}

}  // namespace moescope
