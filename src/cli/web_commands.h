// The web console's commands: `serve [--listen ADDR:PORT] [--cert FILE --key FILE]
// [--access-log FILE]` and `admin set-password [--password-stdin]`.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/common.h"

namespace cs::cli {

void AddWebCommands(CLI::App& app, Globals& g);

// Splits "ADDR:PORT" ("127.0.0.1:8080", "[::1]:8080", ":8080" = loopback, "8080"); throws
// CLI::ValidationError on a bad value.
std::pair<std::string, int> ParseListen(const std::string& listen);

}  // namespace cs::cli
