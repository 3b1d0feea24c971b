// 16-bit fixed-point arithmetic in the Q formats TFLite's integer LSTM uses (gemmlowp semantics): a raw int16 r
// with `integer_bits` m stands for r / 2^(15 - m). logistic and tanh return Q0.15. Exactness matters: these are
// the values TFLite's 8x8_16 LSTM computes, bit for bit.
#pragma once

#include <cstdint>

namespace ql::fp16 {

int16_t saturatingRoundingDoublingHighMul(int16_t a, int16_t b);
int16_t roundingDivideByPOT(int16_t x, int exponent);
// x * 2^exponent: saturating for exponent > 0, rounding for exponent < 0.
int16_t saturatingRoundingMultiplyByPOT(int16_t x, int exponent);
// A constant written as a 32-bit Q value, rounded to 16 bits.
int16_t constantFrom32(int32_t raw32);

int16_t logistic(int16_t x, int integer_bits);
int16_t tanh(int16_t x, int integer_bits);

}  // namespace ql::fp16
