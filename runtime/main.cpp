#include "cli/cli.hpp"

int main(int argc, char** argv) { return burrow::cli::main(argc, argv); }
