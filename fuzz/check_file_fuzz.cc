// libFuzzer target: the course existence check file (check_task.cc, identifier_file.h): identifier
// and description lines, found/missing/ambiguous. Each input is the whole file, run in simulate
// mode on the shared fuzz site (fuzz_site.h).
#include <cstddef>
#include <cstdint>

#include "fuzz_site.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cs::fuzz::Site().RunSimulated(data, size, "courses.csv", cs::sync::RunCheck);
  return 0;
}
