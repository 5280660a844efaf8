// MoE Scope's one settings file, whatever the application's name (tests included):
// ~/.config/moescope/moescope.conf (XDG_CONFIG_HOME moves it).
#pragma once

#include <QSettings>

namespace moescope {

inline QSettings app_settings() { return QSettings(QStringLiteral("moescope"), QStringLiteral("moescope")); }

}  // namespace moescope
