//go:build unix

package wiring

import (
	"syscall"

	"github.com/rs/zerolog"
)

// descriptorReserve is what the process needs beside connections: the
// store's files and connections, blobs being read or written, the log.
const descriptorReserve = 256

// warnIfFewDescriptors says at start when the open-file limit is lower than
// MAX_CONNECTIONS allows for: the listener then runs out of descriptors
// (and retries) before it sheds connections over the cap.
func warnIfFewDescriptors(log zerolog.Logger, maxConns int) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return
	}
	if maxConns < 0 {
		return
	}
	if want := uint64(maxConns) + descriptorReserve; lim.Cur < want {
		log.Warn().Uint64("open_file_limit", lim.Cur).Int("max_connections", maxConns).
			Msg("the open-file limit is below MAX_CONNECTIONS plus what the store needs: raise it (ulimit -n) or lower MAX_CONNECTIONS")
	}
}
