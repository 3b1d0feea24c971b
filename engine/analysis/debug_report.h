// The debugger's report as files: the CSV whose first ten columns are those of TFLite's layer_statistics_dump
// (so pandas notebooks keep working) and the JSON that the CLI and the GUI share.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/quant_debugger.h"

namespace ql {

// Header: op_name,tensor_idx,num_elements,stddev,mean_error,max_abs_error,mean_squared_error,scale,zero_point,
//         tensor_name,range,rmse/scale
std::string debugReportCsv(const DebugReport& report);
// The CSV's column names, and one layer row's fields as the CSV prints them (numbers at full precision, "nan" where
// there is no value), unquoted: what the app's table shows and copies.
const std::vector<std::string>& debugReportCsvColumns();
std::vector<std::string> debugReportCsvFields(const LayerRow& row);
nlohmann::json debugReportJson(const DebugReport& report);
// The report debugReportJson wrote (a saved session keeps it so it need not be recomputed): values it wrote as
// null (NaN, inf) read back as NaN; the warning it adds for a dequantized twin is not read as one of the
// report's own. Throws BadInput naming `source` when `j` is not such a report.
DebugReport debugReportFromJson(const nlohmann::json& j, const std::string& source);

}  // namespace ql
