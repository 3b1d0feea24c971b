// QtTest's side of QL_SKIP_FOR_MISSING (tests/support/test_support.h): a GUI test that cannot find ../shared skips
// with a message, and fails instead when QUANTLENS_REQUIRE_SHARED=1 (CI), so that CI cannot pass on skips.
#pragma once

#include <QFileInfo>
#include <QString>
#include <QtTest/QtTest>

#include "support/test_support.h"

#define QL_QT_SKIP_FOR_MISSING(why)                                                                   \
  do {                                                                                                \
    const QString why_ = (why);                                                                       \
    if (::ql::test::sharedRequired()) QFAIL(qPrintable(why_ + " (QUANTLENS_REQUIRE_SHARED=1)"));      \
    QSKIP(qPrintable(why_));                                                                          \
  } while (0)

// Skips (or fails under QUANTLENS_REQUIRE_SHARED=1) when the file `path` (a QString) of ../shared is absent.
#define QL_QT_REQUIRE_FILE(path)                                                                       \
  do {                                                                                                \
    if (::ql::test::sharedDir().empty() || !QFileInfo::exists(path))                                  \
      QL_QT_SKIP_FOR_MISSING("../shared is absent (set QUANTLENS_SHARED): skipping, needs " + (path)); \
  } while (0)
