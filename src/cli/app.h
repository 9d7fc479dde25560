#pragma once

namespace vidb {

// The whole program: parses arguments, runs one command, maps errors to exit codes.
int run(int argc, char** argv);

} // namespace vidb
