// burrow create: the container waits in "created" until `burrow start`. Prints nothing: the
// caller's stdio now belong to the container.
#include "container/create_container.hpp"
#include "container/operations.hpp"

namespace burrow::container {

Status create(const GlobalOptions& global, const CreateOptions& options) {
  BURROW_TRY(create_container(global, options));
  return {};
}

}  // namespace burrow::container
