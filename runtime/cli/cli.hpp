#pragma once

namespace burrow::cli {
// The whole command line: parse, set up logging, dispatch, report the error once.
int main(int argc, char** argv);
}  // namespace burrow::cli
