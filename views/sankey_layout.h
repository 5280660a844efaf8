// Alluvial (Sankey) layout of the probe tokens' routing: one column per layer, one node per
// top-1 expert (height proportional to its tokens), and between neighbouring columns one band
// per (expert at l, expert at l + 1) pair, as wide as the tokens that took that path. Tokens
// no expert took go to a "dropped" node at the bottom of their column.
#pragma once

#include <QPainterPath>
#include <QRectF>
#include <map>
#include <utility>
#include <vector>

#include "base/events.h"

namespace moescope {

// Expert id standing for "dropped" in the counts and layout (sorts after every expert).
inline constexpr int kDroppedNode = -1;

struct SankeyFlows {
  int layers = 0;
  int tokens = 0;
  // Per layer: top-1 expert -> tokens. Keys are expert ids, kDroppedNode last.
  struct Order {
    bool operator()(int a, int b) const;
  };
  std::vector<std::map<int, int, Order>> nodes;
  // Per layer l < layers - 1: (expert at l, expert at l + 1) -> tokens.
  struct PairOrder {
    bool operator()(const std::pair<int, int>& a, const std::pair<int, int>& b) const;
  };
  std::vector<std::map<std::pair<int, int>, int, PairOrder>> links;

  int node_count(int layer, int expert) const;
  int flow_count(int layer, int from, int to) const;
};

// Counts nodes and links of a drawable trajectory (see probe_routing.h).
SankeyFlows count_flows(const TrajectorySnapshot& trajectory);

struct SankeyNode {
  int layer = 0;
  int expert = kDroppedNode;
  int count = 0;
  QRectF rect;
};
struct SankeyBand {
  int layer = 0;
  int from = kDroppedNode;
  int to = kDroppedNode;
  int count = 0;
  QPainterPath path;
};
struct SankeyLayout {
  std::vector<SankeyNode> nodes;  // column by column, top to bottom
  std::vector<SankeyBand> bands;  // layer by layer, in (from, to) order
  double column_spacing = 0.0;    // distance between neighbouring columns' centres
};

// Column l's nodes are centred at plot.left() + (l + 0.5) * plot.width() / layers (where a
// column axis puts its ticks). One token is the same height in every column; the dropped node
// sits at the bottom of the plot.
SankeyLayout layout_sankey(const SankeyFlows& flows, const QRectF& plot);

}  // namespace moescope
