#include "db/interrupt.h"

#include <gtest/gtest.h>

#include <csignal>

// One rule for every exit after a signal.
TEST(Signals, ExitCodeIs128PlusTheSignal)
{
    EXPECT_EQ(static_cast<int>(vidb::db::exit_code_for_signal(SIGINT)), 130);
    EXPECT_EQ(static_cast<int>(vidb::db::exit_code_for_signal(SIGTERM)), 143);
    EXPECT_EQ(vidb::db::describe_signal(SIGTERM), "terminated (SIGTERM)");
    EXPECT_EQ(vidb::db::describe_signal(SIGINT), "interrupted (SIGINT)");
}
