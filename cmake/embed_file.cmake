# Turns a binary file into a C++ source defining `const unsigned char NAME[]` and `const size_t NAME_size`.
# Used for the binary schema (.bfbs) that lets the model layer print any options table by its field names.
# usage: cmake -DINPUT=f.bfbs -DOUTPUT=f.cpp -DNAME=symbol -DNAMESPACE=ns -P embed_file.cmake
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){24})" "\\1\n  " bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} at build time; do not edit.\n#include <cstddef>\nnamespace ${NAMESPACE} {\n"
  "extern const unsigned char ${NAME}[];\nextern const std::size_t ${NAME}_size;\n"
  "alignas(16) const unsigned char ${NAME}[] = {\n  ${bytes}\n};\nconst std::size_t ${NAME}_size = ${size};\n}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
