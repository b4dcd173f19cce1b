// The bits of UTF-8 and base64 the job log needs to keep arbitrary bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace burrow::shim::io {

// Well-formed UTF-8 as RFC 3629 defines it (no overlong forms, no surrogates, nothing above
// U+10FFFF) — the same rule nlohmann::json's serializer applies, so text this accepts is never
// altered by it.
bool valid_utf8(std::string_view text);
// Where to cut `text` at most `limit` bytes in so that a multi-byte character is not split: the
// start of a character that begins before `limit` but would end after it; `limit` otherwise (also
// when the bytes there are not UTF-8 at all, or a cut would leave nothing).
size_t utf8_cut(std::string_view text, size_t limit);
// RFC 4648 base64 with padding.
std::string base64(std::string_view bytes);

}  // namespace burrow::shim::io
