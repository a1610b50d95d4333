//go:build !unix

package wiring

import "github.com/rs/zerolog"

// warnIfFewDescriptors has nothing to check where there is no RLIMIT_NOFILE.
func warnIfFewDescriptors(zerolog.Logger, int) {}
