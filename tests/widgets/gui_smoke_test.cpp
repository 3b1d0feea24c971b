// The GUI build links and a main window comes up offscreen: the floor every `gui` test stands on.
#include <QtTest/QtTest>

#include "app/gui/main_window.h"

class GuiSmokeTest : public QObject {
  Q_OBJECT
 private slots:
  void mainWindowShowsOffscreen() {
    ql::gui::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.windowTitle().left(9), QString("quantlens"));
  }
};

QTEST_MAIN(GuiSmokeTest)
#include "gui_smoke_test.moc"
