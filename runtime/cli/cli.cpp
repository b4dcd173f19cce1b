// Placeholder until the CLI lands.
#include "cli/cli.hpp"

#include <cstdio>

namespace burrow::cli {
int main(int, char**) {
  std::fputs("burrow: CLI not implemented yet\n", stderr);
  return 1;
}
}  // namespace burrow::cli
