// Runs the `quantlens` under test as its own process, offscreen, as a user's command line would (screenshot mode,
// launch options), with its settings kept in `config_dir` so that no test reads another's recent files or state.
#pragma once

#include <utility>

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace ql::test {

// {exit code, or -1 when it crashed or ran past `timeout_ms`; its stderr}
inline std::pair<int, QString> runQuantlens(const QStringList& args, const QString& config_dir,
                                            int timeout_ms = 300000) {
  QProcess p;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("QT_QPA_PLATFORM", "offscreen");
  env.insert("XDG_CONFIG_HOME", config_dir);
  p.setProcessEnvironment(env);
  p.start(QL_GUI_PATH, args);
  if (!p.waitForFinished(timeout_ms)) p.kill();
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromLocal8Bit(p.readAllStandardError())};
}

}  // namespace ql::test
