// Package identityporttest holds the contract suites that every adapter of the
// identity driven ports must pass: call TestUserRepository, TestSessionRepository
// and TestOneTimeTokenRepository from the adapter's own tests with a constructor
// that returns a fresh, empty repository.
package identityporttest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// base is the time fixtures start from. It has millisecond precision in UTC, as
// kernel.Truncate gives, so that it round-trips through every store unchanged.
var base = kernel.Truncate(time.Date(2025, 3, 14, 9, 26, 53, 589_000_000, time.UTC))

// at returns base plus i seconds. Identifiers made by kernel.NewID(at(i)) sort
// in the order of i, because NewID starts with the time in seconds.
func at(i int) time.Time { return base.Add(time.Duration(i) * time.Second) }

// errAbort is what an update function returns to abort the update.
var errAbort = errors.New("identityporttest: update function aborts")

// malformedIDs are identifiers no adapter can have stored.
var malformedIDs = []string{"nope", "zzzzzzzzzzzzzzzzzzzzzzzz", ""}

// secretHash returns a SHA-256 hex digest, shaped like a stored token hash.
func secretHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func ptr[T any](v T) *T { return &v }

// userIDs returns the ids of us in order.
func userIDs(us []*identity.User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.ID()
	}
	return out
}

// sessionIDs returns the ids of ss in order.
func sessionIDs(ss []*identity.Session) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.ID
	}
	return out
}
