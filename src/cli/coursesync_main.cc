// Entry point of the coursesync binary.
#include "cli/cli.h"

int main(int argc, char** argv) { return cs::cli::Run(argc, argv); }
