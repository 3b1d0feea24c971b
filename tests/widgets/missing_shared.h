// QtTest's side of QL_SKIP_FOR_MISSING (tests/support/test_support.h): a GUI test that cannot find ../shared skips
// with a message, and fails instead when QUANTLENS_REQUIRE_SHARED=1 (CI), so that CI cannot pass on skips.
#pragma once

#include <QString>
#include <QtTest/QtTest>

#include "support/test_support.h"

#define QL_QT_SKIP_FOR_MISSING(why)                                                                   \
  do {                                                                                                \
    const QString why_ = (why);                                                                       \
    if (::ql::test::sharedRequired()) QFAIL(qPrintable(why_ + " (QUANTLENS_REQUIRE_SHARED=1)"));      \
    QSKIP(qPrintable(why_));                                                                          \
  } while (0)
