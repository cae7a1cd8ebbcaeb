// KamwatchDigest
