// libFuzzer target: the course creation/update file (create_task.cc, create_columns.cc): header,
// per-value validation, categories from paths, templates, teachers, create and update. Each input
// is the whole file, run in simulate mode on the shared fuzz site (fuzz_site.h).
#include <cstddef>
#include <cstdint>

#include "fuzz_site.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cs::fuzz::Site().RunSimulated(data, size, "uploadcourses.csv", cs::sync::RunCreate);
  return 0;
}
