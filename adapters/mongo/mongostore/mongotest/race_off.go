//go:build !race

package mongotest

// RaceDetector reports whether the binary was built with -race.
const RaceDetector = false
