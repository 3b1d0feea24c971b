// The float-fallback set every view shares: each change is one undo step, undo/redo restore the previous set
// and say so through `changed`, unchanged sets push nothing, and new models drop the history.
#include <QtTest/QtTest>

#include <QSignalSpy>
#include <QUndoStack>

#include "app/gui/float_fallback.h"

using ql::gui::FloatFallback;

class FloatFallbackTest : public QObject {
  Q_OBJECT
 private slots:
  void undoRestoresThePreviousSet() {
    FloatFallback f;
    QSignalSpy changed(&f, &FloatFallback::changed);
    f.set({1, 2, 3}, "threshold");
    f.add({7}, "graph");
    QCOMPARE(f.ops(), (std::set<int>{1, 2, 3, 7}));
    f.undoStack()->undo();
    QCOMPARE(f.ops(), (std::set<int>{1, 2, 3}));
    f.undoStack()->undo();
    QVERIFY(f.ops().empty());
    f.undoStack()->redo();
    QCOMPARE(f.ops(), (std::set<int>{1, 2, 3}));
    QCOMPARE(changed.count(), 5);
  }
  void anUnchangedSetPushesNothing() {
    FloatFallback f;
    f.set({4}, "a");
    f.add({4}, "again");
    f.remove({9}, "absent");
    QCOMPARE(f.undoStack()->count(), 1);
  }
  void toggleAddsThenRemoves() {
    FloatFallback f;
    f.toggle(5);
    QVERIFY(f.contains(5));
    f.toggle(5);
    QVERIFY(!f.contains(5));
    QCOMPARE(f.undoStack()->count(), 2);
  }
  void resetEmptiesAndDropsTheHistory() {
    FloatFallback f;
    f.set({1}, "a");
    f.reset();
    QVERIFY(f.ops().empty());
    QCOMPARE(f.undoStack()->count(), 0);
  }
};

QTEST_MAIN(FloatFallbackTest)
#include "float_fallback_test.moc"
