#include "model/options_codec.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

#include <flatbuffers/flexbuffers.h>
#include <flatbuffers/idl.h>
#include <flatbuffers/reflection.h>

namespace ql {
namespace schema {
extern const unsigned char kTfliteSchemaBfbs[];
extern const std::size_t kTfliteSchemaBfbs_size;
}  // namespace schema

namespace {

const reflection::Schema& tfliteSchema() {
  static const reflection::Schema* s = [] {
    flatbuffers::Verifier v(schema::kTfliteSchemaBfbs, schema::kTfliteSchemaBfbs_size);
    if (!reflection::VerifySchemaBuffer(v)) throw std::logic_error("embedded TFLite schema does not verify");
    return reflection::GetSchema(schema::kTfliteSchemaBfbs);
  }();
  return *s;
}

nlohmann::json doubleToJson(double v) {
  if (!std::isfinite(v)) return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
  return v;
}

std::string enumValueName(const reflection::Enum& e, int64_t value) {
  const reflection::EnumVal* ev = e.values()->LookupByKey(value);
  return ev ? ev->name()->str() : std::to_string(value);
}

nlohmann::json scalarToJson(const reflection::Schema& s, reflection::BaseType bt, int32_t enum_index, int64_t i,
                            double f) {
  using namespace reflection;
  if (bt == Bool) return i != 0;
  if (bt == Float) return floatToJson(static_cast<float>(f));
  if (bt == Double) return doubleToJson(f);
  if (enum_index >= 0 && static_cast<uint32_t>(enum_index) < s.enums()->size())
    return enumValueName(*s.enums()->Get(static_cast<uint32_t>(enum_index)), i);
  return i;
}

nlohmann::json objectToJson(const reflection::Schema& s, const reflection::Object& obj, const uint8_t* data,
                            int depth);

nlohmann::json fieldToJson(const reflection::Schema& s, const reflection::Object& obj, const reflection::Field& f,
                           const uint8_t* data, int depth) {
  using namespace reflection;
  const Type& t = *f.type();
  BaseType bt = t.base_type();
  if (obj.is_struct()) {
    const auto& st = *reinterpret_cast<const flatbuffers::Struct*>(data);
    if (bt == Obj) return objectToJson(s, *s.objects()->Get(t.index()), st.GetAddressOf(f.offset()), depth + 1);
    if (bt == Float || bt == Double) return doubleToJson(flatbuffers::GetAnyFieldF(st, f));
    return scalarToJson(s, bt, t.index(), flatbuffers::GetAnyFieldI(st, f), 0);
  }
  const auto& table = *reinterpret_cast<const flatbuffers::Table*>(data);
  if (flatbuffers::IsScalar(bt)) {
    if (bt == Float || bt == Double)
      return scalarToJson(s, bt, t.index(), 0, flatbuffers::GetAnyFieldF(table, f));
    return scalarToJson(s, bt, t.index(), flatbuffers::GetAnyFieldI(table, f), 0);
  }
  if (!table.CheckField(f.offset())) return nullptr;  // absent: distinct from empty (RESHAPE's new_shape)
  switch (bt) {
    case String:
      return flatbuffers::GetAnyFieldS(table, f, &s);
    case Obj: {
      const Object& sub = *s.objects()->Get(t.index());
      const uint8_t* p = sub.is_struct() ? table.GetStruct<const uint8_t*>(f.offset())
                                         : reinterpret_cast<const uint8_t*>(flatbuffers::GetFieldT(table, f));
      return objectToJson(s, sub, p, depth + 1);
    }
    case Vector: {
      nlohmann::json arr = nlohmann::json::array();
      const flatbuffers::VectorOfAny* v = flatbuffers::GetFieldAnyV(table, f);
      BaseType et = t.element();
      for (flatbuffers::uoffset_t i = 0; i < v->size(); ++i) {
        if (et == Float || et == Double) {
          double x = flatbuffers::GetAnyVectorElemF(v, et, i);
          arr.push_back(et == Float ? floatToJson(static_cast<float>(x)) : doubleToJson(x));
        } else if (flatbuffers::IsScalar(et)) {
          arr.push_back(scalarToJson(s, et, t.index(), flatbuffers::GetAnyVectorElemI(v, et, i), 0));
        } else if (et == String) {
          arr.push_back(flatbuffers::GetAnyVectorElemS(v, et, i));
        } else if (et == Obj) {
          const Object& sub = *s.objects()->Get(t.index());
          const uint8_t* p = sub.is_struct()
                                 ? v->Data() + static_cast<size_t>(sub.bytesize()) * i
                                 : reinterpret_cast<const uint8_t*>(
                                       flatbuffers::GetAnyVectorElemPointer<const flatbuffers::Table>(v, i));
          arr.push_back(objectToJson(s, sub, p, depth + 1));
        }
      }
      return arr;
    }
    default:
      return nullptr;  // unions nested in options: none in the format today
  }
}

nlohmann::json objectToJson(const reflection::Schema& s, const reflection::Object& obj, const uint8_t* data,
                            int depth) {
  nlohmann::json out = nlohmann::json::object();
  if (!data || depth > 16) return out;
  std::vector<const reflection::Field*> fields(obj.fields()->begin(), obj.fields()->end());
  std::sort(fields.begin(), fields.end(), [](auto* a, auto* b) { return a->id() < b->id(); });
  for (const reflection::Field* f : fields) {
    if (f->deprecated()) continue;
    if (f->type()->base_type() == reflection::UType) continue;  // shown with its union
    out[f->name()->str()] = fieldToJson(s, obj, *f, data, depth);
  }
  return out;
}

const reflection::EnumVal* unionMember(const std::string& union_enum, uint8_t type) {
  const reflection::Schema& s = tfliteSchema();
  const reflection::Enum* e = s.enums()->LookupByKey(union_enum.c_str());
  if (!e || !e->is_union()) return nullptr;
  return e->values()->LookupByKey(type);
}

nlohmann::json flexToJson(const flexbuffers::Reference& r, int depth) {
  if (depth > 32) return nullptr;
  if (r.IsNull()) return nullptr;
  if (r.IsBool()) return r.AsBool();
  if (r.IsUInt()) return r.AsUInt64();
  if (r.IsInt()) return r.AsInt64();
  if (r.IsFloat()) {
    // TFLite writes its float options at 32-bit width; print them as the float they are.
    if (r.GetType() == flexbuffers::FBT_FLOAT) return floatToJson(r.AsFloat());
    return doubleToJson(r.AsDouble());
  }
  if (r.IsString() || r.IsKey()) return r.AsString().str();
  if (r.IsBlob()) {
    auto b = r.AsBlob();
    return nlohmann::json{{"blob_hex", toHex(b.data(), b.size())}};
  }
  if (r.IsMap()) {
    nlohmann::json out = nlohmann::json::object();
    auto m = r.AsMap();
    auto keys = m.Keys();
    auto vals = m.Values();
    for (size_t i = 0; i < keys.size(); ++i) out[keys[i].AsKey()] = flexToJson(vals[i], depth + 1);
    return out;
  }
  if (r.IsAnyVector()) {
    nlohmann::json out = nlohmann::json::array();
    auto v = r.AsVector();
    for (size_t i = 0; i < v.size(); ++i) out.push_back(flexToJson(v[i], depth + 1));
    return out;
  }
  return nullptr;
}

// The Verifier checks a vector's length word (4-byte aligned) but not its elements: a damaged file can put a
// vector of 64-bit values at an address that is not a multiple of 8, and reading it is undefined behaviour.
bool wideVectorsAlignedIn(const reflection::Schema& s, const reflection::Object& obj, const flatbuffers::Table& table,
                          int depth) {
  using namespace reflection;
  if (depth > 16) return true;  // the format nests options two levels deep at most
  for (const Field* f : *obj.fields()) {
    const Type& t = *f->type();
    if (t.base_type() == Obj && !s.objects()->Get(t.index())->is_struct()) {
      const flatbuffers::Table* sub = flatbuffers::GetFieldT(table, *f);
      if (sub && !wideVectorsAlignedIn(s, *s.objects()->Get(t.index()), *sub, depth + 1)) return false;
    } else if (t.base_type() == Vector) {
      const flatbuffers::VectorOfAny* v = flatbuffers::GetFieldAnyV(table, *f);
      if (!v) continue;
      BaseType et = t.element();
      if (flatbuffers::IsScalar(et) && flatbuffers::GetTypeSize(et) == 8 &&
          reinterpret_cast<uintptr_t>(v->Data()) % 8 != 0)
        return false;
      if (et == Obj && !s.objects()->Get(t.index())->is_struct())
        for (flatbuffers::uoffset_t i = 0; i < v->size(); ++i)
          if (!wideVectorsAlignedIn(s, *s.objects()->Get(t.index()),
                                    *flatbuffers::GetAnyVectorElemPointer<const flatbuffers::Table>(v, i), depth + 1))
            return false;
    }
  }
  return true;
}

}  // namespace

bool unionTableWideVectorsAligned(const std::string& union_enum, uint8_t type, const void* table) {
  const reflection::EnumVal* ev = unionMember(union_enum, type);
  if (!ev || !ev->union_type() || ev->union_type()->base_type() != reflection::Obj || !table) return true;
  const reflection::Schema& s = tfliteSchema();
  return wideVectorsAlignedIn(s, *s.objects()->Get(ev->union_type()->index()),
                              *static_cast<const flatbuffers::Table*>(table), 0);
}

nlohmann::json floatToJson(float v) {
  if (!std::isfinite(v)) return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  double d = 0;
  std::from_chars(buf, res.ptr, d);
  return d;
}

std::string toHex(const uint8_t* data, size_t size) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  s.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    s.push_back(digits[data[i] >> 4]);
    s.push_back(digits[data[i] & 15]);
  }
  return s;
}

std::string unionMemberName(const std::string& union_enum, uint8_t type) {
  const reflection::EnumVal* ev = unionMember(union_enum, type);
  return ev ? ev->name()->str() : std::string();
}

nlohmann::json unionTableToJson(const std::string& union_enum, const TableBlob& blob) {
  if (!blob.present()) return nlohmann::json::object();
  const reflection::Schema& s = tfliteSchema();
  const reflection::EnumVal* ev = unionMember(union_enum, blob.type);
  if (!ev || !ev->union_type() || ev->union_type()->base_type() != reflection::Obj) return nlohmann::json::object();
  const reflection::Object& obj = *s.objects()->Get(ev->union_type()->index());
  const uint8_t* root = flatbuffers::GetRoot<uint8_t>(blob.bytes.data());
  return objectToJson(s, obj, root, 0);
}

TableBlob unionTableFromJson(const std::string& union_enum, const std::string& member,
                             const nlohmann::json& fields) {
  const reflection::Schema& s = tfliteSchema();
  const reflection::Enum* e = s.enums()->LookupByKey(union_enum.c_str());
  if (!e || !e->is_union()) throw std::invalid_argument("no union " + union_enum + " in the schema");
  const reflection::EnumVal* member_val = nullptr;
  for (const reflection::EnumVal* v : *e->values())
    if (v->name()->str() == member) member_val = v;
  if (!member_val || !member_val->union_type() || member_val->union_type()->base_type() != reflection::Obj)
    throw std::invalid_argument(union_enum + " has no member " + member);
  const reflection::Object& obj = *s.objects()->Get(member_val->union_type()->index());

  flatbuffers::Parser parser;
  if (!parser.Deserialize(schema::kTfliteSchemaBfbs, schema::kTfliteSchemaBfbs_size))
    throw std::logic_error("embedded TFLite schema cannot be loaded: " + parser.error_);
  if (!parser.SetRootType(obj.name()->c_str())) throw std::invalid_argument("unknown table " + obj.name()->str());
  if (!parser.Parse(fields.dump().c_str()))
    throw std::invalid_argument(member + " from JSON: " + parser.error_);
  TableBlob blob;
  blob.type = static_cast<uint8_t>(member_val->value());
  blob.bytes.assign(parser.builder_.GetBufferPointer(),
                    parser.builder_.GetBufferPointer() + parser.builder_.GetSize());
  return blob;
}

std::vector<uint8_t> flexbufferFromJson(const nlohmann::json& map) {
  flexbuffers::Builder fbb;
  fbb.Map([&] {
    for (auto& [key, v] : map.items()) {
      if (v.is_boolean()) fbb.Bool(key.c_str(), v.get<bool>());
      else if (v.is_number_integer()) fbb.Int(key.c_str(), v.get<int64_t>());
      else if (v.is_number_float()) fbb.Float(key.c_str(), v.get<float>());
      else if (v.is_string()) fbb.String(key.c_str(), v.get<std::string>());
      else throw std::invalid_argument("flexbuffer option '" + key + "': only scalars and strings are supported");
    }
  });
  fbb.Finish();
  return fbb.GetBuffer();
}

nlohmann::json flexbufferToJson(const uint8_t* data, size_t size) {
  if (size == 0) return nlohmann::json::object();
  std::vector<uint8_t> reuse;
  if (!flexbuffers::VerifyBuffer(data, size, &reuse))
    return nlohmann::json{{"raw_hex", toHex(data, size)}};
  return flexToJson(flexbuffers::GetRoot(data, size), 0);
}

}  // namespace ql
