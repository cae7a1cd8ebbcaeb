// KamwatchState
