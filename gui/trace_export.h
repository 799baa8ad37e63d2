// Saving a trace: as the JSON of the trace format (the same bytes
// `lstmscope-cli trace` prints) or as CSV (one row per value, long format,
// easy to load in a spreadsheet or pandas).
#pragma once

#include <QString>

#include "engine/trace.h"

// Both return false and set *error (naming the file) on failure.
bool saveTraceJson(const lstmscope::Trace& trace, const QString& path, QString* error);
// Columns: node,kind,layer,direction,head,row,token,column,value
bool saveTraceCsv(const lstmscope::Trace& trace, const QString& path, QString* error);

// Where compare mode writes pane B's trace beside pane A's: "run.json" ->
// "run-B.json" (a file name without a suffix gets "-B" at the end).
QString tracePathForB(const QString& pathA);
