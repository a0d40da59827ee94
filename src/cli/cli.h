// The `coursesync` command line (contract §1–§3): global options, subcommands, exit codes.
#pragma once

namespace cs::cli {

// Parses argv, runs the command, returns the process exit status.
int Run(int argc, char** argv);

}  // namespace cs::cli
