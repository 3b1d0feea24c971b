// Turns option tables and custom-op options into JSON by the schema's own names, for any op, including ones the
// interpreter does not run. Uses the binary schema embedded at build time, so a new options table in the .fbs
// needs no code here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "model/graph.h"

namespace ql {

// The member name of union `union_enum` ("tflite.BuiltinOptions") for tag `type` ("Conv2DOptions"), or "".
std::string unionMemberName(const std::string& union_enum, uint8_t type);

// The fields of a union member table held as a standalone flatbuffer, by field id order, defaults filled in,
// enum values by name. Returns an empty object for an absent blob.
nlohmann::json unionTableToJson(const std::string& union_enum, const TableBlob& blob);

// The inverse: a union member table built from JSON fields (enum values by name, absent fields default), e.g.
// ("tflite.BuiltinOptions", "Conv2DOptions", {"padding": "SAME", "stride_w": 2}). Used where quantlens makes
// ops of its own (exports, tests). Throws std::invalid_argument naming what the schema rejected.
TableBlob unionTableFromJson(const std::string& union_enum, const std::string& member, const nlohmann::json& fields);

// False when a (verified) union member table holds a vector of 64-bit values that is not 8-byte aligned in
// memory, which only a damaged file has and which must not be read.
bool unionTableWideVectorsAligned(const std::string& union_enum, uint8_t type, const void* table);

// A flexbuffer map from JSON (numbers with a fraction become floats), for custom options.
std::vector<uint8_t> flexbufferFromJson(const nlohmann::json& map);

// A flexbuffer (TFLite custom options) as JSON; {"raw_hex": "..."} when it is not a valid flexbuffer.
nlohmann::json flexbufferToJson(const uint8_t* data, size_t size);

// Shortest decimal that reads back as the same float, as a JSON number (so 0.6f prints as 0.6).
nlohmann::json floatToJson(float v);

std::string toHex(const uint8_t* data, size_t size);

}  // namespace ql
