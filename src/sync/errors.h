// Errors that end a command with a specific exit status (contract §3).
#pragma once

#include <stdexcept>
#include <string>

namespace cs::sync {

// Exit 2: bad usage, unreadable/rejected file, bad setting, a safety guard refused. Nothing
// changed.
class Rejected : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Exit 3: another run holds the lock for this task.
class LockBusy : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace cs::sync
