// KamwatchSystemd
