// Entry point of the coursesync binary.
#include "cli/cli.h"
#include "sync/huge_page_heap.h"

int main(int argc, char** argv) {
  cs::sync::UseHugePageHeap(argv);
  return cs::cli::Run(argc, argv);
}
