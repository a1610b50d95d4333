package httpserver

import "time"

// TimeFormat is how every time is written in a response: RFC 3339 in UTC
// with milliseconds, as the original service answered.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// FormatTime writes t in TimeFormat.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeFormat) }

// FormatOptionalTime writes t in TimeFormat, or nil (JSON null) for none.
func FormatOptionalTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := FormatTime(*t)
	return &s
}
