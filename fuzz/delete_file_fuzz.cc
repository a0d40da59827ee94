// libFuzzer target: the course deletion file (delete_task.cc, identifier_file.h): identifier lines,
// header detection, resolution, duplicates, the threshold, set-based deletion. Each input is the
// whole file, run in simulate mode on the shared fuzz site (fuzz_site.h).
#include <cstddef>
#include <cstdint>

#include "fuzz_site.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cs::fuzz::Site().RunSimulated(data, size, "deletecourses.csv", cs::sync::RunDelete);
  return 0;
}
