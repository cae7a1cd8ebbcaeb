// KamwatchDaemon
