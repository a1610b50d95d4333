package kernel

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"time"
)

// NewID returns a new identifier in the 24-hex MongoDB ObjectID format that
// clients of the original service expect: 4 bytes of seconds, 8 random bytes.
func NewID(now time.Time) string {
	var b [12]byte
	// ObjectIDs keep seconds in 32 bits by design (they wrap in 2106).
	binary.BigEndian.PutUint32(b[:4], uint32(now.Unix())) //nolint:gosec // G115: intended truncation
	_, _ = rand.Read(b[4:])                               // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// IsID reports whether s has the identifier format (24 lower- or upper-case hex digits).
func IsID(s string) bool {
	if len(s) != 24 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
