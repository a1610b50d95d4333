package kernel

import (
	"strconv"
	"strings"
	"unicode"
)

// Text a person typed reaches other people: in lists, in mail the trust
// sends. A line break in a name, a NUL or a right-to-left override can make
// it say something else there than it says here (a name that continues as
// an official-looking paragraph, a file name that reads backwards). These
// rules say what such text may hold.

// IsPlainLine reports whether s is fit for a one-line field (a name, a title,
// a community name, an organisation): no control characters (line breaks and
// tabs included), no bidirectional embeddings, overrides or isolates
// (U+202A–U+202E, U+2066–U+2069) and no line or paragraph separators.
func IsPlainLine(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return r == '\t' || r == '\n' || r == '\r' || unsafeRune(r) })
}

// IsPlainText is IsPlainLine for text of several lines (a description, a
// message, a reason): newlines and tabs are allowed, nothing else of the kind.
func IsPlainText(s string) bool { return !strings.ContainsFunc(s, unsafeRune) }

// unsafeRune: a control character other than tab, CR and LF, a bidirectional
// control, or a line or paragraph separator.
func unsafeRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case unicode.IsControl(r):
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028 || r == 0x2029:
		return true
	}
	return false
}

// QuoteLine renders text a user chose for one line of a plain-text message:
// in double quotes, with every character IsPlainText refuses, and line breaks
// and tabs, written as an escape (\n, \u202e), so that nothing it holds can
// break out of its quotes.
func QuoteLine(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t' || r == '\n' || r == '\r' || unsafeRune(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// QuoteBlock renders text a user wrote (a message, a reason) for a
// plain-text message: every line prefixed with "> ", as mail quotes, and
// every character IsPlainText refuses escaped, so that the reader sees where
// the user's words start and end.
func QuoteBlock(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		var b strings.Builder
		b.WriteString("> ")
		for _, r := range line {
			if unsafeRune(r) {
				q := strconv.QuoteRuneToASCII(r)
				b.WriteString(q[1 : len(q)-1])
				continue
			}
			b.WriteRune(r)
		}
		lines[i] = b.String()
	}
	return strings.Join(lines, "\n")
}
