package configs

import "strings"

// Problem is one bad configuration value.
type Problem struct {
	// Variable names the environment variable at fault, or the .env file when
	// the file itself cannot be read.
	Variable string
	// Message says what is wrong. It never contains the value of a secret.
	Message string
}

// String renders the problem as "VARIABLE: message".
func (p Problem) String() string { return p.Variable + ": " + p.Message }

// Error is returned by Load when the configuration is unusable. It lists every
// problem found, not only the first.
type Error struct {
	Problems []Problem
}

// Error renders one line per problem.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
