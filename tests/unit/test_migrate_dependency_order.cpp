#include "migrate/dependency_order.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace vidb::migrate {
namespace {

std::vector<std::string> names(const std::vector<OrderNode>& nodes, const std::vector<std::size_t>& order)
{
    std::vector<std::string> out;
    for (const auto index : order) {
        out.push_back(nodes[index].name);
    }
    return out;
}

TEST(SchemaDependencyOrder, RankThenNameWithoutEdges)
{
    const std::vector<OrderNode> nodes { { "3", 7, "t_b" }, { "1", 7, "t_a" }, { "2", 0, "z_type" } };
    EXPECT_EQ(names(nodes, dependency_order(nodes, {})), (std::vector<std::string> { "z_type", "t_a", "t_b" }));
}

TEST(SchemaDependencyOrder, DependenciesComeFirstWhateverTheirRank)
{
    // A view (rank 8) a function (rank 5) reads, a table (7) whose default calls the function.
    const std::vector<OrderNode> nodes { { "f", 5, "fn" }, { "t", 7, "tbl" }, { "v", 8, "view" } };
    const std::vector<std::pair<std::string, std::string>> edges { { "f", "v" }, { "t", "f" }, { "v", "t" } };
    // A cycle (f -> v -> t -> f): broken at the smallest node, each node once.
    const auto cyclic = names(nodes, dependency_order(nodes, edges));
    EXPECT_EQ(cyclic.size(), 3u);
    EXPECT_EQ(cyclic.front(), "fn");
    const std::vector<std::pair<std::string, std::string>> acyclic { { "f", "v" }, { "v", "t" } };
    EXPECT_EQ(names(nodes, dependency_order(nodes, acyclic)), (std::vector<std::string> { "tbl", "view", "fn" }));
}

TEST(SchemaDependencyOrder, SameResultWhateverTheInputOrder)
{
    std::vector<OrderNode> nodes { { "a", 1, "a" }, { "b", 1, "b" }, { "c", 0, "c" }, { "d", 2, "d" } };
    const std::vector<std::pair<std::string, std::string>> edges { { "c", "b" }, { "a", "d" }, { "x", "a" },
        { "a", "a" } };
    const auto expected = names(nodes, dependency_order(nodes, edges));
    EXPECT_EQ(expected, (std::vector<std::string> { "b", "c", "d", "a" }));
    std::reverse(nodes.begin(), nodes.end());
    EXPECT_EQ(names(nodes, dependency_order(nodes, edges)), expected);
}

} // namespace
} // namespace vidb::migrate
