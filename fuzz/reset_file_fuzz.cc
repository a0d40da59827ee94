// libFuzzer target: the course reset file (reset_task.cc, reset_modules*.cc): header and
// vocabularies, roles, modules, start dates, every reset area. Each input is the whole file, run in
// simulate mode on the shared fuzz site (fuzz_site.h).
#include <cstddef>
#include <cstdint>

#include "fuzz_site.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cs::fuzz::Site().RunSimulated(data, size, "resetcourses.csv", cs::sync::RunReset);
  return 0;
}
