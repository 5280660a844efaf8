#include "sankey_layout.h"

#include <algorithm>
#include <climits>

#include "probe_routing.h"

namespace moescope {
namespace {

int order_key(int expert) { return expert == kDroppedNode ? INT_MAX : expert; }

}  // namespace

bool SankeyFlows::Order::operator()(int a, int b) const { return order_key(a) < order_key(b); }

bool SankeyFlows::PairOrder::operator()(const std::pair<int, int>& a,
                                        const std::pair<int, int>& b) const {
  return std::make_pair(order_key(a.first), order_key(a.second)) <
         std::make_pair(order_key(b.first), order_key(b.second));
}

int SankeyFlows::node_count(int layer, int expert) const {
  if (layer < 0 || layer >= layers) return 0;
  const auto& column = nodes[static_cast<size_t>(layer)];
  const auto it = column.find(expert);
  return it == column.end() ? 0 : it->second;
}

int SankeyFlows::flow_count(int layer, int from, int to) const {
  if (layer < 0 || layer + 1 >= layers) return 0;
  const auto& between = links[static_cast<size_t>(layer)];
  const auto it = between.find({from, to});
  return it == between.end() ? 0 : it->second;
}

SankeyFlows count_flows(const TrajectorySnapshot& trajectory) {
  SankeyFlows flows;
  flows.layers = static_cast<int>(trajectory.layers);
  flows.tokens = static_cast<int>(trajectory.tokens);
  flows.nodes.resize(static_cast<size_t>(flows.layers));
  flows.links.resize(static_cast<size_t>(std::max(0, flows.layers - 1)));
  for (int64_t token = 0; token < trajectory.tokens; ++token) {
    int previous = kDroppedNode;
    for (int64_t layer = 0; layer < trajectory.layers; ++layer) {
      const int expert = top1_expert(trajectory, layer, token);
      ++flows.nodes[static_cast<size_t>(layer)][expert];
      if (layer > 0) ++flows.links[static_cast<size_t>(layer - 1)][{previous, expert}];
      previous = expert;
    }
  }
  return flows;
}

SankeyLayout layout_sankey(const SankeyFlows& flows, const QRectF& plot) {
  SankeyLayout layout;
  if (flows.layers <= 0 || flows.tokens <= 0 || plot.isEmpty()) return layout;
  layout.column_spacing = plot.width() / flows.layers;
  const double node_w = std::clamp(layout.column_spacing * 0.12, 3.0, 14.0);

  // Gaps between nodes shrink when a column has many; the dropped node gets a wider one. One
  // token's height is what the most crowded column leaves.
  size_t most_nodes = 1;
  for (const auto& column : flows.nodes) most_nodes = std::max(most_nodes, column.size());
  const double gap = std::min(6.0, plot.height() * 0.25 / static_cast<double>(most_nodes));
  double most_gaps = 0.0;
  for (const auto& column : flows.nodes) {
    const bool dropped = column.count(kDroppedNode) > 0;
    const double experts = static_cast<double>(column.size()) - (dropped ? 1.0 : 0.0);
    most_gaps =
        std::max(most_gaps, std::max(0.0, experts - 1.0) * gap + (dropped ? 3.0 * gap : 0.0));
  }
  const double unit = std::max(0.0, plot.height() - most_gaps) / flows.tokens;

  // Where each node is, and how far its outgoing and incoming bands have filled it.
  struct Place {
    QRectF rect;
    double out = 0.0;
    double in = 0.0;
  };
  std::vector<std::map<int, Place, SankeyFlows::Order>> places(static_cast<size_t>(flows.layers));
  for (int layer = 0; layer < flows.layers; ++layer) {
    const double x = plot.left() + (layer + 0.5) * layout.column_spacing - node_w / 2.0;
    double y = plot.top();
    for (const auto& [expert, count] : flows.nodes[static_cast<size_t>(layer)]) {
      const double h = count * unit;
      const QRectF rect = expert == kDroppedNode ? QRectF(x, plot.bottom() - h, node_w, h)
                                                 : QRectF(x, y, node_w, h);
      y += h + gap;
      places[static_cast<size_t>(layer)][expert].rect = rect;
      layout.nodes.push_back({layer, expert, count, rect});
    }
  }

  // Bands leave a node in the order of where they go and enter one in the order of where they
  // come from, so they cross as little as the node order allows.
  for (int layer = 0; layer + 1 < flows.layers; ++layer) {
    auto& from_places = places[static_cast<size_t>(layer)];
    auto& to_places = places[static_cast<size_t>(layer + 1)];
    const auto& links = flows.links[static_cast<size_t>(layer)];
    std::vector<std::pair<std::pair<int, int>, int>> by_target(links.begin(), links.end());
    std::stable_sort(by_target.begin(), by_target.end(), [](const auto& a, const auto& b) {
      return SankeyFlows::Order()(a.first.second, b.first.second);
    });
    std::map<std::pair<int, int>, double, SankeyFlows::PairOrder> entry_y;
    for (const auto& [pair, count] : by_target) {
      Place& target = to_places[pair.second];
      entry_y[pair] = target.rect.top() + target.in;
      target.in += count * unit;
    }
    for (const auto& [pair, count] : links) {
      Place& source = from_places[pair.first];
      const double h = count * unit;
      const double y0 = source.rect.top() + source.out;
      const double y1 = entry_y[pair];
      source.out += h;
      const double x0 = source.rect.right();
      const double x1 = to_places[pair.second].rect.left();
      const double mid = (x0 + x1) / 2.0;
      QPainterPath path(QPointF(x0, y0));
      path.cubicTo(QPointF(mid, y0), QPointF(mid, y1), QPointF(x1, y1));
      path.lineTo(x1, y1 + h);
      path.cubicTo(QPointF(mid, y1 + h), QPointF(mid, y0 + h), QPointF(x0, y0 + h));
      path.closeSubpath();
      layout.bands.push_back({layer, pair.first, pair.second, count, path});
    }
  }
  return layout;
}

}  // namespace moescope
