package identityporttest

import (
	"errors"
	"fmt"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
	"slices"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// Session lifetimes used by the fixtures.
const (
	sliding  = 7 * 24 * time.Hour
	absolute = 30 * 24 * time.Hour
)

// errRotated is what a refresh returns when another one rotated the secret first.
var errRotated = errors.New("identityporttest: refresh secret already rotated")

// newSession returns a live session of userID created at t.
func newSession(userID string, t time.Time) *identity.Session {
	id := kernel.NewID(t)
	return &identity.Session{
		ID:                id,
		UserID:            userID,
		RefreshHash:       secretHash("refresh-" + id),
		RotatedAt:         t,
		CreatedAt:         t,
		LastUsedAt:        t,
		ExpiresAt:         t.Add(sliding),
		AbsoluteExpiresAt: t.Add(absolute),
		IP:                "203.0.113.7",
		UserAgent:         "contract-test/1.0",
	}
}

// sameSession compares every field of two sessions.
func sameSession(t *testing.T, got, want *identity.Session) {
	t.Helper()
	if got == nil {
		t.Fatal("got a nil session")
	}
	porttestkit.Eq(t, "ID", got.ID, want.ID)
	porttestkit.Eq(t, "UserID", got.UserID, want.UserID)
	porttestkit.Eq(t, "RefreshHash", got.RefreshHash, want.RefreshHash)
	porttestkit.SameStrings(t, "PreviousHashes", got.PreviousHashes, want.PreviousHashes)
	porttestkit.Eq(t, "RotationNonce", got.RotationNonce, want.RotationNonce)
	porttestkit.SameTime(t, "RotatedAt", got.RotatedAt, want.RotatedAt)
	porttestkit.SameTime(t, "CreatedAt", got.CreatedAt, want.CreatedAt)
	porttestkit.SameTime(t, "LastUsedAt", got.LastUsedAt, want.LastUsedAt)
	porttestkit.SameTime(t, "ExpiresAt", got.ExpiresAt, want.ExpiresAt)
	porttestkit.SameTime(t, "AbsoluteExpiresAt", got.AbsoluteExpiresAt, want.AbsoluteExpiresAt)
	porttestkit.SameTimePtr(t, "RevokedAt", got.RevokedAt, want.RevokedAt)
	porttestkit.Eq(t, "IP", got.IP, want.IP)
	porttestkit.Eq(t, "UserAgent", got.UserAgent, want.UserAgent)
	porttestkit.Eq(t, "Version", got.Revision, want.Revision)
}

// TestSessionRepository runs the SessionRepository contract; newRepo must return an empty repository.
func TestSessionRepository(t *testing.T, newRepo func(t *testing.T) identityport.SessionRepository) {
	userID := kernel.NewID(at(-1000))

	t.Run("create_then_get_round_trips_every_field", func(t *testing.T) {
		cases := map[string]func(s *identity.Session){
			"fresh": func(s *identity.Session) {},
			"rotated_and_revoked": func(s *identity.Session) {
				s.PreviousHashes = []string{secretHash("one"), secretHash("two")}
				s.RotationNonce = "bm9uY2U"
				s.RotatedAt, s.LastUsedAt = at(60), at(61)
				s.RevokedAt = ptr(at(62))
				s.IP, s.UserAgent = "", ""
			},
		}
		for name, edit := range cases {
			t.Run(name, func(t *testing.T) {
				repo := newRepo(t)
				s := newSession(userID, at(0))
				edit(s)
				porttestkit.MustNil(t, repo.Create(t.Context(), s), "Create")
				if s.Revision < 1 {
					t.Errorf("Create left Version %d, want at least 1", s.Revision)
				}
				got, err := repo.Get(t.Context(), s.ID)
				porttestkit.MustNil(t, err, "Get")
				sameSession(t, got, s)
			})
		}
	})

	t.Run("stored_session_does_not_alias_the_callers", func(t *testing.T) {
		repo := newRepo(t)
		s := newSession(userID, at(0))
		s.PreviousHashes = []string{secretHash("one")}
		s.RevokedAt = ptr(at(1))
		porttestkit.MustNil(t, repo.Create(t.Context(), s), "Create")
		want := *s
		want.PreviousHashes, want.RevokedAt = []string{secretHash("one")}, ptr(at(1))

		s.PreviousHashes[0] = "changed"
		*s.RevokedAt = at(100)
		got, err := repo.Get(t.Context(), s.ID)
		porttestkit.MustNil(t, err, "Get")
		sameSession(t, got, &want)

		got.PreviousHashes[0] = "changed"
		*got.RevokedAt = at(100)
		again, err := repo.Get(t.Context(), s.ID)
		porttestkit.MustNil(t, err, "Get again")
		sameSession(t, again, &want)
	})

	t.Run("duplicate_id_is_conflict", func(t *testing.T) {
		repo := newRepo(t)
		s := newSession(userID, at(0))
		porttestkit.MustNil(t, repo.Create(t.Context(), s), "Create")
		clash := newSession(userID, at(1))
		clash.ID = s.ID
		porttestkit.WantKind(t, repo.Create(t.Context(), clash), kernel.KindConflict, "Create with a taken id")
		got, err := repo.Get(t.Context(), s.ID)
		porttestkit.MustNil(t, err, "Get")
		sameSession(t, got, s)
	})

	t.Run("unknown_and_malformed_ids_are_not_found", func(t *testing.T) {
		repo := newRepo(t)
		porttestkit.MustNil(t, repo.Create(t.Context(), newSession(userID, at(0))), "Create")
		for _, id := range append([]string{kernel.NewID(at(1))}, malformedIDs...) {
			_, err := repo.Get(t.Context(), id)
			porttestkit.WantErr(t, err, identity.ErrSessionNotFound, fmt.Sprintf("Get(%q)", id))
			_, err = repo.Update(t.Context(), id, func(*identity.Session) error { return nil })
			porttestkit.WantErr(t, err, identity.ErrSessionNotFound, fmt.Sprintf("Update(%q)", id))
		}
	})

	t.Run("update_applies_fn_and_bumps_version", func(t *testing.T) {
		repo := newRepo(t)
		s := newSession(userID, at(0))
		porttestkit.MustNil(t, repo.Create(t.Context(), s), "Create")
		newHash := secretHash("next")

		got, err := repo.Update(t.Context(), s.ID, func(x *identity.Session) error {
			x.Rotate(newHash, "nonce-1", at(10), sliding)
			x.IP = "198.51.100.1"
			return nil
		})
		porttestkit.MustNil(t, err, "Update")
		want := *s
		want.PreviousHashes = []string{s.RefreshHash}
		want.RefreshHash, want.RotatedAt, want.LastUsedAt, want.ExpiresAt = newHash, at(10), at(10), at(10).Add(sliding)
		want.RotationNonce = "nonce-1"
		want.IP = "198.51.100.1"
		want.Revision = s.Revision + 1
		sameSession(t, got, &want)
		stored, err := repo.Get(t.Context(), s.ID)
		porttestkit.MustNil(t, err, "Get")
		sameSession(t, stored, &want)

		got, err = repo.Update(t.Context(), s.ID, func(x *identity.Session) error { x.Revoke(at(20)); return nil })
		porttestkit.MustNil(t, err, "revoking Update")
		porttestkit.SameTimePtr(t, "RevokedAt", got.RevokedAt, ptr(at(20)))
		porttestkit.Eq(t, "Version after two updates", got.Revision, s.Revision+2)
	})

	t.Run("update_fn_error_aborts_without_change", func(t *testing.T) {
		repo := newRepo(t)
		s := newSession(userID, at(0))
		porttestkit.MustNil(t, repo.Create(t.Context(), s), "Create")
		_, err := repo.Update(t.Context(), s.ID, func(x *identity.Session) error {
			x.Rotate(secretHash("next"), "nonce-1", at(10), sliding)
			x.Revoke(at(10))
			return errAbort
		})
		if !errors.Is(err, errAbort) {
			t.Fatalf("Update: got %v, want the fn's error", err)
		}
		got, err := repo.Get(t.Context(), s.ID)
		porttestkit.MustNil(t, err, "Get")
		sameSession(t, got, s)
	})

	t.Run("concurrent_refreshes_with_one_secret_rotate_once", func(t *testing.T) {
		repo := newRepo(t)
		s := newSession(userID, at(0))
		porttestkit.MustNil(t, repo.Create(t.Context(), s), "Create")
		original := s.RefreshHash
		const n = 10
		errs := porttestkit.Concurrently(n, func(i int) error {
			_, err := repo.Update(t.Context(), s.ID, func(x *identity.Session) error {
				if x.RefreshHash != original {
					return errRotated
				}
				x.Rotate(secretHash(fmt.Sprintf("next-%d", i)), fmt.Sprintf("nonce-%d", i), at(10+i), sliding)
				return nil
			})
			return err
		})
		winner := porttestkit.OneSucceeded(t, errs, errRotated)

		got, err := repo.Get(t.Context(), s.ID)
		porttestkit.MustNil(t, err, "Get")
		porttestkit.Eq(t, "RefreshHash", got.RefreshHash, secretHash(fmt.Sprintf("next-%d", winner)))
		porttestkit.SameStrings(t, "PreviousHashes", got.PreviousHashes, []string{original})
		porttestkit.Eq(t, "Version", got.Revision, s.Revision+1)
	})

	t.Run("revoke_all_for_user_spares_the_excepted_session", func(t *testing.T) {
		repo := newRepo(t)
		otherUser := kernel.NewID(at(-999))
		mine := []*identity.Session{newSession(userID, at(1)), newSession(userID, at(2)), newSession(userID, at(3))}
		keep := mine[1]
		earlier := newSession(userID, at(4))
		earlier.RevokedAt = ptr(at(5))
		theirs := newSession(otherUser, at(6))
		for _, s := range append(slices.Clone(mine), earlier, theirs) {
			porttestkit.MustNil(t, repo.Create(t.Context(), s), "Create")
		}

		revokedAt := at(100)
		ids, err := repo.RevokeAllForUser(t.Context(), userID, keep.ID, revokedAt)
		porttestkit.MustNil(t, err, "RevokeAllForUser")
		porttestkit.SameSet(t, "revoked ids", ids, []string{mine[0].ID, mine[2].ID})

		for _, s := range []*identity.Session{mine[0], mine[2]} {
			got, err := repo.Get(t.Context(), s.ID)
			porttestkit.MustNil(t, err, "Get revoked")
			porttestkit.SameTimePtr(t, "RevokedAt of "+s.ID, got.RevokedAt, &revokedAt)
		}
		for _, c := range []struct {
			s       *identity.Session
			revoked *time.Time
		}{{keep, nil}, {theirs, nil}, {earlier, ptr(at(5))}} {
			got, err := repo.Get(t.Context(), c.s.ID)
			porttestkit.MustNil(t, err, "Get spared")
			porttestkit.SameTimePtr(t, "RevokedAt of spared "+c.s.ID, got.RevokedAt, c.revoked)
		}
		live, err := repo.ListForUser(t.Context(), userID)
		porttestkit.MustNil(t, err, "ListForUser")
		porttestkit.SameStrings(t, "live sessions", sessionIDs(live), []string{keep.ID})

		// the revoked sessions stay updatable (their versions stay consistent)
		_, err = repo.Update(t.Context(), mine[0].ID, func(x *identity.Session) error { x.IP = "192.0.2.1"; return nil })
		porttestkit.MustNil(t, err, "Update after RevokeAllForUser")
	})

	t.Run("revoke_all_for_user_without_exception_revokes_every_live_session", func(t *testing.T) {
		repo := newRepo(t)
		var want []string
		for i := range 3 {
			s := newSession(userID, at(i))
			porttestkit.MustNil(t, repo.Create(t.Context(), s), "Create")
			want = append(want, s.ID)
		}
		ids, err := repo.RevokeAllForUser(t.Context(), userID, "", at(100))
		porttestkit.MustNil(t, err, "RevokeAllForUser")
		porttestkit.SameSet(t, "revoked ids", ids, want)
		live, err := repo.ListForUser(t.Context(), userID)
		porttestkit.MustNil(t, err, "ListForUser")
		porttestkit.Eq(t, "live sessions", len(live), 0)

		ids, err = repo.RevokeAllForUser(t.Context(), userID, "", at(200))
		porttestkit.MustNil(t, err, "second RevokeAllForUser")
		porttestkit.Eq(t, "ids revoked twice", len(ids), 0)
		got, err := repo.Get(t.Context(), want[0])
		porttestkit.MustNil(t, err, "Get")
		porttestkit.SameTimePtr(t, "RevokedAt keeps the first time", got.RevokedAt, ptr(at(100)))
	})

	t.Run("list_for_user_is_newest_first_without_revoked_or_others", func(t *testing.T) {
		repo := newRepo(t)
		otherUser := kernel.NewID(at(-999))
		byAge := map[int]*identity.Session{}
		for _, i := range []int{2, 5, 1, 4, 3} { // created out of order
			s := newSession(userID, at(i*60))
			if i == 4 {
				s.RevokedAt = ptr(at(i*60 + 1))
			}
			porttestkit.MustNil(t, repo.Create(t.Context(), s), "Create")
			byAge[i] = s
		}
		porttestkit.MustNil(t, repo.Create(t.Context(), newSession(otherUser, at(600))), "Create other user's")

		got, err := repo.ListForUser(t.Context(), userID)
		porttestkit.MustNil(t, err, "ListForUser")
		porttestkit.SameStrings(t, "ids", sessionIDs(got), []string{byAge[5].ID, byAge[3].ID, byAge[2].ID, byAge[1].ID})
		if len(got) > 0 {
			sameSession(t, got[0], byAge[5])
		}

		none, err := repo.ListForUser(t.Context(), kernel.NewID(at(0)))
		porttestkit.MustNil(t, err, "ListForUser of a user without sessions")
		porttestkit.Eq(t, "sessions of a user without any", len(none), 0)
	})
}
