package kernel

import "time"

// TimePrecision is the precision of every stored and shown time (RFC 3339 with milliseconds).
const TimePrecision = time.Millisecond

// Truncate brings t to the stored precision in UTC so that round trips through any store compare equal.
func Truncate(t time.Time) time.Time { return t.UTC().Truncate(TimePrecision) }
