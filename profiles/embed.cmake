# cmake -DOUT=<file.cpp> -DPROFILES=<a.json|b.json> -P embed.cmake
# Writes the security profiles into a C++ source, so the burrow binary carries them (`burrow spec
# --profile NAME`) and needs no data directory at run time.
set(body "// Generated from profiles/*.json by profiles/embed.cmake. Do not edit.\n")
string(APPEND body "#include \"spec/profiles.hpp\"\n\nnamespace burrow::spec {\n\n")
string(APPEND body "const EmbeddedProfile kEmbeddedProfiles[] = {\n")
string(REPLACE "|" ";" profiles "${PROFILES}")
foreach(path ${profiles})
  get_filename_component(name ${path} NAME_WE)
  file(READ ${path} text)
  string(APPEND body "    {\"${name}\", R\"burrow_profile(${text})burrow_profile\"},\n")
endforeach()
string(APPEND body "};\nconst size_t kEmbeddedProfileCount = std::size(kEmbeddedProfiles);\n\n")
string(APPEND body "}  // namespace burrow::spec\n")
file(WRITE ${OUT} "${body}")
