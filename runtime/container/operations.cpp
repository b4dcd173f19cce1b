// Temporary: the lifecycle operations are being written; until then each says so.
#include "container/operations.hpp"

namespace burrow::container {
namespace {
Error pending(const char* what) { return Error::msg(std::string(what) + ": not implemented yet"); }
}  // namespace

Status create(const GlobalOptions&, const CreateOptions&) { return pending("create"); }
Status start(const GlobalOptions&, const StartOptions&) { return pending("start"); }
Result<int> run(const GlobalOptions&, const RunOptions&) { return pending("run"); }
Result<std::string> state(const GlobalOptions&, const StateOptions&) { return pending("state"); }
Status kill(const GlobalOptions&, const KillOptions&) { return pending("kill"); }
Status remove(const GlobalOptions&, const DeleteOptions&) { return pending("delete"); }
Result<std::string> list(const GlobalOptions&, const ListOptions&) { return pending("list"); }
Status write_spec(const SpecOptions&) { return pending("spec"); }

}  // namespace burrow::container
