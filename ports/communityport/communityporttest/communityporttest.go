// Package communityporttest holds the contract suites that every adapter of the
// community driven ports must pass: call TestCommunityRepository,
// TestMembershipRepository and TestJoinRequestRepository from the adapter's own
// tests with a constructor that returns a fresh, empty repository.
package communityporttest

import (
	"errors"
	"time"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// base is the time fixtures start from, at the stored precision in UTC.
var base = kernel.Truncate(time.Date(2025, 9, 4, 18, 23, 52, 84_000_000, time.UTC))

// at returns base plus i seconds; kernel.NewID(at(i)) sorts in the order of i.
func at(i int) time.Time { return base.Add(time.Duration(i) * time.Second) }

// errAbort is what an update function returns to abort the update.
var errAbort = errors.New("communityporttest: update function aborts")

// malformedIDs are identifiers no adapter can have stored.
var malformedIDs = []string{"nope", "zzzzzzzzzzzzzzzzzzzzzzzz", ""}
