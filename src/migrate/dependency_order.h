#pragma once

#include <string>
#include <utility>
#include <vector>

namespace vidb::migrate {

// A node to order: its id, and the tie-break among nodes whose dependencies are all met
// (lower rank first, then name, compared byte by byte).
struct OrderNode {
    std::string id;
    int rank = 0;
    std::string name;
};

// Indexes into `nodes` in an order where every node comes after the nodes it depends on
// (`edges`: {from, to} = "from needs to"; unknown ids and self edges are ignored). The
// order depends only on ids, ranks, names and edges, never on the input order. A cycle
// is broken at its smallest node (rank, name), so every node is returned exactly once.
std::vector<std::size_t> dependency_order(
    const std::vector<OrderNode>& nodes, const std::vector<std::pair<std::string, std::string>>& edges);

} // namespace vidb::migrate
