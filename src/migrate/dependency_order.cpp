#include "migrate/dependency_order.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace vidb::migrate {

std::vector<std::size_t> dependency_order(
    const std::vector<OrderNode>& nodes, const std::vector<std::pair<std::string, std::string>>& edges)
{
    std::map<std::string, std::size_t> by_id;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        by_id.emplace(nodes[i].id, i);
    }
    std::vector<std::set<std::size_t>> needs(nodes.size()); // i needs these
    std::vector<std::set<std::size_t>> needed_by(nodes.size());
    for (const auto& [from, to] : edges) {
        const auto a = by_id.find(from);
        const auto b = by_id.find(to);
        if (a == by_id.end() || b == by_id.end() || a->second == b->second) {
            continue;
        }
        needs[a->second].insert(b->second);
        needed_by[b->second].insert(a->second);
    }
    const auto less = [&nodes](std::size_t x, std::size_t y) {
        return std::tie(nodes[x].rank, nodes[x].name, nodes[x].id)
            < std::tie(nodes[y].rank, nodes[y].name, nodes[y].id);
    };
    std::set<std::size_t, decltype(less)> ready(less);
    std::set<std::size_t, decltype(less)> waiting(less);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        (needs[i].empty() ? ready : waiting).insert(i);
    }
    std::vector<std::size_t> order;
    order.reserve(nodes.size());
    while (!ready.empty() || !waiting.empty()) {
        if (ready.empty()) {
            // A cycle: take the smallest waiting node as if its dependencies were met.
            const std::size_t forced = *waiting.begin();
            waiting.erase(waiting.begin());
            needs[forced].clear();
            ready.insert(forced);
        }
        const std::size_t next = *ready.begin();
        ready.erase(ready.begin());
        order.push_back(next);
        for (const std::size_t dependent : needed_by[next]) {
            if (needs[dependent].erase(next) > 0 && needs[dependent].empty() && waiting.erase(dependent) > 0) {
                ready.insert(dependent);
            }
        }
    }
    return order;
}

} // namespace vidb::migrate
