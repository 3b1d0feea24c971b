// libFuzzer target: any bytes given to the model reader either load or raise ql::Error; nothing else.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "model/model_json.h"
#include "model/reader.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    ql::Model m = ql::readModelFromBytes(ql::Bytes::copyOf(data, size), "fuzz.tflite");
    (void)ql::modelToJson(m).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);  // every view of a loaded model must be safe too
  } catch (const ql::Error&) {
  }
  return 0;
}
