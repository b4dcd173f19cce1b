// The loopback interface of a new network namespace starts down; runc and crun bring it up, and
// programs expect 127.0.0.1 to answer (a pod's services are reached there).
#pragma once

#include "base/error.hpp"

namespace burrow::linux {

// Sets IFF_UP on `lo` of the calling thread's network namespace (needs CAP_NET_ADMIN there).
Status bring_loopback_up();

}  // namespace burrow::linux
