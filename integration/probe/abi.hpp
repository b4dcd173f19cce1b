// probe abi: system calls made through another ABI's entry into the kernel, as a program built
// for that ABI makes them, so tests can check that a seccomp profile holds for 32-bit programs
// too. The probe stays one static x86_64 binary: `int $0x80` is the i386 entry (the kernel
// serves it with its IA32 emulation, and seccomp sees AUDIT_ARCH_I386), and x32 calls are
// x86_64 syscalls whose number carries bit 0x40000000.
#pragma once

namespace probe {

// argv: probe abi ABI CALL...
//   ABI   x86_64 | i386 | x32
//   CALL  NAME[:ARG...], NAME one of getpid, socket, socketpair, socketcall (i386 only), clone,
//         clone3, personality, unshare; arguments are integers (0x.. and negative ones too). For
//         socketcall, ARG0 is the operation (SYS_SOCKET = 1, ...) and the others its argument
//         array, placed below 4 GiB where a 32-bit pointer reaches it. socketpair gets its fd
//         array from the probe. A clone that makes a child has the child exit at once.
// Prints {"abi":"i386","available":true,"seccomp":2,"results":{"socket:40:1":{"ret":-1,
// "errno":"EPERM"},"socket:1:1":{"ret":3,"errno":null,"domain":1}}}: results by CALL; a socket
// made is closed after its family is read (SO_DOMAIN). "available" is false, with "why", when
// the ABI's entry does not work here (i386 without IA32 emulation faults on `int $0x80`; the
// calls are then not made).
int abi_command(int argc, char** argv);

}  // namespace probe
