// Malformed and hostile configs and command lines. Each must fail with a non-zero exit, leave
// nothing behind (TearDown checks state, mounts, processes, cgroups) and, for burrow, say the
// expected text from expected_messages.hpp.
#include <functional>
#include <ostream>

#include "harness/container_test.hpp"

namespace integration {
namespace {

using nlohmann::json;

struct BadCase {
  std::string name;
  std::string message_key;
  // Exactly one of: a config tweak, raw config.json text, or a command line ("{bundle}" and
  // "{id}" are replaced). A tweak or text is run with `create`.
  std::function<void(json&)> tweak;
  std::string config_text;
  std::vector<std::string> cli;
  // Intentional difference: runc 1.1 accepts this input and burrow refuses it.
  bool runc_accepts = false;
  bool create_first = false;  // a created container exists when the command runs

  BadCase(std::string name_, std::string key, std::function<void(json&)> tweak_,
          std::string text = "", std::vector<std::string> cli_ = {}, bool accepted = false)
      : name(std::move(name_)),
        message_key(std::move(key)),
        tweak(std::move(tweak_)),
        config_text(std::move(text)),
        cli(std::move(cli_)),
        runc_accepts(accepted) {}
};

// gtest prints a parameter in test names and failures: the case name says it all.
void PrintTo(const BadCase& bad, std::ostream* out) {
  *out << bad.name;
}

void set_ns_path(json& c, const std::string& type, const std::string& path) {
  for (auto& ns : c["linux"]["namespaces"]) {
    if (ns["type"] == type) ns["path"] = path;
  }
}

void drop_ns(json& c, const std::string& type) {
  auto& list = c["linux"]["namespaces"];
  for (auto it = list.begin(); it != list.end();)
    it = (*it)["type"] == type ? list.erase(it) : it + 1;
}

std::vector<BadCase> config_cases() {
  return {
      {"ConfigNotJson", "config_not_json", {}, "{\"ociVersion\": ", {}},
      {"ConfigNotObject", "config_not_object", {}, "[1, 2, 3]", {}},
      {"OciVersionNotString", "oci_version_not_string", [](json& c) { c["ociVersion"] = 5; }},
      {"ArgsNotArray", "args_not_array", [](json& c) { c["process"]["args"] = "/probe"; }},
      {"UidNegative", "uid_negative", [](json& c) { c["process"]["user"]["uid"] = -1; }},
      {"AdditionalGidString", "gid_string",
       [](json& c) { c["process"]["user"]["additionalGids"] = {"x"}; }},
      {"MemoryLimitString", "memory_limit_string",
       [](json& c) {
         c["linux"]["resources"]["memory"] = {{"limit", "lots"}};
       }},
      {"PidsLimitString", "pids_limit_string",
       [](json& c) {
         c["linux"]["resources"]["pids"] = {{"limit", "x"}};
       }},
      {"ProcessMissing", "process_missing", [](json& c) { c.erase("process"); }},
      {"ArgsEmpty", "args_empty", [](json& c) { c["process"]["args"] = json::array(); }},
      {"RootMissing", "root_missing", [](json& c) { c.erase("root"); }},
      {"CwdRelative", "cwd_relative", [](json& c) { c["process"]["cwd"] = "relative"; }},
      {"RlimitUnknown", "rlimit_unknown",
       [](json& c) {
         c["process"]["rlimits"] = {{{"type", "RLIMIT_FOO"}, {"soft", 1}, {"hard", 1}}};
       }},
      {"RlimitDuplicate", "rlimit_duplicate",
       [](json& c) {
         c["process"]["rlimits"] = {{{"type", "RLIMIT_NOFILE"}, {"soft", 10}, {"hard", 10}},
                                    {{"type", "RLIMIT_NOFILE"}, {"soft", 20}, {"hard", 20}}};
       }},
      {"RlimitSoftAboveHard", "rlimit_soft_above_hard",
       [](json& c) {
         c["process"]["rlimits"] = {{{"type", "RLIMIT_NOFILE"}, {"soft", 2048}, {"hard", 1024}}};
       }},
      {"CapabilityUnknownInBounding",
       "cap_unknown_bounding",
       [](json& c) { c["process"]["capabilities"]["bounding"] = {"CAP_FOO"}; },
       "",
       {},
       true},
      {"CapabilityUnknownInAmbient",
       "cap_unknown_ambient",
       [](json& c) { c["process"]["capabilities"]["ambient"] = {"CAP_FOO"}; },
       "",
       {},
       true},
      {"OomScoreAdjOutOfRange", "oom_out_of_range",
       [](json& c) { c["process"]["oomScoreAdj"] = 5000; }},
      {"NamespaceTypeUnknown", "ns_unknown",
       [](json& c) {
         c["linux"]["namespaces"].push_back({{"type", "foo"}});
       }},
      {"NamespaceDuplicate", "ns_duplicate",
       [](json& c) {
         c["linux"]["namespaces"].push_back({{"type", "pid"}});
       }},
      {"NamespacePathMissing", "ns_path_missing",
       [](json& c) { set_ns_path(c, "network", "/nonexistent/ns"); }},
      {"NamespacePathNotANamespace", "ns_path_not_ns",
       [](json& c) { set_ns_path(c, "network", "/etc/passwd"); }},
      {"MountDestinationRelative",
       "mount_relative",
       [](json& c) {
         c["mounts"].push_back(
             {{"destination", "relative/dir"}, {"type", "tmpfs"}, {"source", "tmpfs"}});
       },
       "",
       {},
       true},
      {"MountTypeUnknown", "mount_unknown_type",
       [](json& c) {
         c["mounts"].push_back({{"destination", "/mnt"}, {"type", "nosuchfs"}, {"source", "x"}});
       }},
      {"BindSourceMissing", "mount_missing_source",
       [](json& c) {
         c["mounts"].push_back({{"destination", "/mnt"},
                                {"type", "bind"},
                                {"source", "/nonexistent/src"},
                                {"options", {"bind"}}});
       }},
      {"MountOptionBogus", "mount_bad_option",
       [](json& c) {
         c["mounts"].push_back({{"destination", "/mnt"},
                                {"type", "tmpfs"},
                                {"source", "tmpfs"},
                                {"options", {"bogus=1"}}});
       }},
      {"UidMappingsWithoutUserNamespace",
       "uidmap_without_userns",
       [](json& c) {
         c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}};
       },
       "",
       {},
       true},
      {"UserNamespaceWithoutMappings", "userns_without_maps",
       [](json& c) {
         c["linux"]["namespaces"].push_back({{"type", "user"}});
       }},
      {"SysctlNotNamespaced", "sysctl_not_namespaced",
       [](json& c) {
         c["linux"]["sysctl"] = {{"kernel.panic", "1"}};
       }},
      {"NetSysctlInHostNetns", "sysctl_host_netns",
       [](json& c) {
         drop_ns(c, "network");
         c["linux"]["sysctl"] = {{"net.ipv4.ip_forward", "1"}};
       }},
      {"SysctlUnknownKey", "sysctl_unknown_key",
       [](json& c) {
         c["linux"]["sysctl"] = {{"net.ipv4.no_such_key", "1"}};
       }},
      {"HostnameWithoutUtsNamespace", "hostname_without_uts", [](json& c) { drop_ns(c, "uts"); }},
      // runc 1.1 predates time namespaces and ignores timeOffsets.
      {"TimeOffsetsWithoutTimeNamespace",
       "time_offsets_without_timens",
       [](json& c) {
         c["linux"]["timeOffsets"] = {{"monotonic", {{"secs", 5}}}};
       },
       "",
       {},
       true},
      {"TimeOffsetsUnknownClock",
       "time_offsets_unknown_clock",
       [](json& c) {
         c["linux"]["namespaces"].push_back({{"type", "time"}});
         c["linux"]["timeOffsets"] = {{"realtime", {{"secs", 5}}}};
       },
       "",
       {},
       true},
      {"DeviceTypeUnknown", "device_bad_type",
       [](json& c) {
         c["linux"]["devices"] = {{{"path", "/dev/x"}, {"type", "x"}, {"major", 1}, {"minor", 3}}};
       }},
      {"DevicePathRelative",
       "device_relative",
       [](json& c) {
         c["linux"]["devices"] = {{{"path", "dev/x"}, {"type", "c"}, {"major", 1}, {"minor", 3}}};
       },
       "",
       {},
       true},
      {"SeccompActionUnknown", "seccomp_bad_action",
       [](json& c) {
         c["linux"]["seccomp"] = {{"defaultAction", "SCMP_ACT_FROB"}};
       }},
      {"SeccompArchitectureUnknown", "seccomp_bad_arch",
       [](json& c) {
         c["linux"]["seccomp"] = {{"defaultAction", "SCMP_ACT_ALLOW"},
                                  {"architectures", {"SCMP_ARCH_FROB"}}};
       }},
      {"SeccompRuleActionUnknown", "seccomp_bad_rule_action",
       [](json& c) {
         c["linux"]["seccomp"] = {{"defaultAction", "SCMP_ACT_ALLOW"},
                                  {"syscalls",
                                   {{{"names", {"getppid"}}, {"action", "SCMP_ACT_ERRNO"}},
                                    {{"names", {"getpid"}}, {"action", "SCMP_ACT_FOO"}}}}};
       }},
      {"SeccompOperatorUnknown", "seccomp_bad_operator",
       [](json& c) {
         c["linux"]["seccomp"] = {
             {"defaultAction", "SCMP_ACT_ALLOW"},
             {"syscalls",
              {{{"names", {"getppid"}},
                {"action", "SCMP_ACT_ERRNO"},
                {"args", {{{"index", 0}, {"value", 1}, {"op", "SCMP_CMP_FOO"}}}}}}}};
       }},
      {"RootfsPropagationUnknown", "propagation_bad",
       [](json& c) { c["linux"]["rootfsPropagation"] = "sideways"; }},
      {"TerminalWithoutConsoleSocket", "terminal_without_socket",
       [](json& c) { c["process"]["terminal"] = true; }},
      {"RootPathMissing", "root_path_missing",
       [](json& c) { c["root"]["path"] = "/nonexistent-root"; }},
      {"RootPathIsAFile", "root_path_file", [](json& c) { c["root"]["path"] = "/etc/passwd"; }},
      {"ArgsNonexistent", "args_nonexistent",
       [](json& c) { c["process"]["args"] = {"/nonexistent"}; }},
      {"ArgsNotExecutable", "args_not_executable",
       [](json& c) { c["process"]["args"] = {"/etc/passwd"}; }},
      {"PrestartHookMissing", "hook_missing",
       [](json& c) {
         c["hooks"] = {{"prestart", {{{"path", "/nonexistent/hook"}}}}};
       }},
      // runc 1.1 checks neither.
      {"HookPathRelative",
       "hook_relative",
       [](json& c) {
         c["hooks"] = {{"poststop", {{{"path", "bin/true"}}}}};
       },
       "",
       {},
       true},
      {"HookTimeoutZero",
       "hook_zero_timeout",
       [](json& c) {
         c["hooks"] = {{"createRuntime", {{{"path", "/bin/true"}, {"timeout", 0}}}}};
       },
       "",
       {},
       true},
  };
}

std::vector<BadCase> cli_cases() {
  auto cli = [](std::string name, std::string key, std::vector<std::string> args,
                bool create_first = false) {
    BadCase c{std::move(name), std::move(key), {}, "", std::move(args)};
    c.create_first = create_first;
    return c;
  };
  return {
      cli("ConfigMissing", "config_missing", {"create", "--bundle", "{work}", "{id}"}),
      cli("CreateWithoutId", "wrong_arg_count", {"create", "--bundle", "{bundle}"}),
      cli("DeleteWithoutId", "wrong_arg_count", {"delete"}),
      cli("IdWithDotDot", "invalid_id", {"create", "--bundle", "{bundle}", "../escape"}),
      cli("IdWithSlash", "invalid_id", {"create", "--bundle", "{bundle}", "a/b"}),
      cli("IdWithColon", "invalid_id", {"create", "--bundle", "{bundle}", "a:b"}),
      cli("UnknownCommand", "unknown_command", {"frobnicate"}),
      cli("UnknownOption", "unknown_option", {"--frob", "list"}),
      cli("BundleMissing", "bundle_missing", {"create", "--bundle", "/nonexistent", "{id}"}),
      cli("StartUnknown", "does_not_exist", {"start", "{id}"}),
      cli("StateUnknown", "does_not_exist", {"state", "{id}"}),
      cli("KillUnknown", "does_not_exist", {"kill", "{id}", "KILL"}),
      cli("DeleteUnknown", "does_not_exist", {"delete", "{id}"}),
      cli("KillUnknownSignal", "unknown_signal", {"kill", "{id}", "SIGFOO"}, true),
      cli("KillTooManyArgs", "too_many_args", {"kill", "{id}", "KILL", "extra"}, true),
      cli("BadLogFormat", "bad_log_format", {"--log-format", "bogus", "list"}),
      cli("SpecOverExistingConfig", "spec_exists", {"spec", "--bundle", "{bundle}"}),
      cli("SpecIntoMissingBundle", "spec_bundle_missing", {"spec", "--bundle", "/nonexistent"}),
  };
}

std::vector<BadCase> all_cases() {
  auto cases = config_cases();
  for (auto& c : cli_cases()) cases.push_back(std::move(c));
  return cases;
}

class BadInput : public ContainerTest, public ::testing::WithParamInterface<BadCase> {
 protected:
  std::vector<std::string> substitute(std::vector<std::string> args) const {
    for (auto& arg : args) {
      if (arg == "{bundle}") arg = bundle_;
      if (arg == "{work}") arg = work_;
      if (arg == "{id}") arg = id_;
    }
    return args;
  }
};

TEST_P(BadInput, FailsAndLeavesNothing) {
  const BadCase& bad = GetParam();
  if (bad.runc_accepts && !runtime_is_burrow()) {
    GTEST_SKIP() << "runc 1.1 accepts this; burrow refuses it by design";
  }
  if (!bad.config_text.empty()) {
    write_config_text(bad.config_text);
  } else {
    write_config([&](json& c) {
      c["process"]["args"] = probe_args({"signals"});
      if (bad.tweak) bad.tweak(c);
    });
  }
  if (bad.create_first) {
    CommandResult created = runtime({"create", "--bundle", bundle_, id_});
    ASSERT_EQ(created.exit_code, 0) << created.describe();
  }
  std::vector<std::string> args = bad.cli.empty()
                                      ? std::vector<std::string>{"create", "--bundle", bundle_, id_}
                                      : substitute(bad.cli);
  expect_error(runtime(args), bad.message_key);
  if (!bad.create_first) {
    EXPECT_NE(runtime({"state", id_}).exit_code, 0) << "a failed create left a container";
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, BadInput, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<BadCase>& info) {
                           return info.param.name;
                         });

TEST(BadInputTable, HasAtLeastThirtyCases) {
  EXPECT_GE(all_cases().size(), 30u);
}

}  // namespace
}  // namespace integration
