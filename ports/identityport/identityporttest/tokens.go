package identityporttest

import (
	"fmt"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// newToken returns an unused password-reset token created at t.
func newToken(t time.Time) *identity.OneTimeToken {
	id := kernel.NewID(t)
	return &identity.OneTimeToken{
		ID:        id,
		UserID:    kernel.NewID(t.Add(-time.Hour)),
		Purpose:   identity.PurposePasswordReset,
		Hash:      secretHash("token-" + id),
		CreatedAt: t,
		ExpiresAt: t.Add(time.Hour),
	}
}

// sameToken compares every field of two tokens.
func sameToken(t *testing.T, got, want *identity.OneTimeToken) {
	t.Helper()
	if got == nil {
		t.Fatal("got a nil token")
	}
	porttestkit.Eq(t, "ID", got.ID, want.ID)
	porttestkit.Eq(t, "UserID", got.UserID, want.UserID)
	porttestkit.Eq(t, "Purpose", got.Purpose, want.Purpose)
	porttestkit.Eq(t, "Hash", got.Hash, want.Hash)
	porttestkit.SameTime(t, "CreatedAt", got.CreatedAt, want.CreatedAt)
	porttestkit.SameTime(t, "ExpiresAt", got.ExpiresAt, want.ExpiresAt)
	porttestkit.SameTimePtr(t, "UsedAt", got.UsedAt, want.UsedAt)
}

// TestOneTimeTokenRepository runs the OneTimeTokenRepository contract; newRepo must return an empty repository.
func TestOneTimeTokenRepository(t *testing.T, newRepo func(t *testing.T) identityport.OneTimeTokenRepository) {
	t.Run("create_then_get_round_trips_every_field", func(t *testing.T) {
		cases := map[string]func(tok *identity.OneTimeToken){
			"unused": func(tok *identity.OneTimeToken) {},
			"used_email_verification": func(tok *identity.OneTimeToken) {
				tok.Purpose = identity.PurposeVerifyEmail
				tok.UsedAt = ptr(at(30))
			},
		}
		for name, edit := range cases {
			t.Run(name, func(t *testing.T) {
				repo := newRepo(t)
				tok := newToken(at(0))
				edit(tok)
				porttestkit.MustNil(t, repo.Create(t.Context(), tok), "Create")
				got, err := repo.Get(t.Context(), tok.ID)
				porttestkit.MustNil(t, err, "Get")
				sameToken(t, got, tok)
			})
		}
	})

	t.Run("stored_token_does_not_alias_the_callers", func(t *testing.T) {
		repo := newRepo(t)
		tok := newToken(at(0))
		tok.UsedAt = ptr(at(1))
		porttestkit.MustNil(t, repo.Create(t.Context(), tok), "Create")
		want := *tok
		want.UsedAt = ptr(at(1))

		*tok.UsedAt = at(100)
		got, err := repo.Get(t.Context(), tok.ID)
		porttestkit.MustNil(t, err, "Get")
		sameToken(t, got, &want)

		*got.UsedAt = at(100)
		again, err := repo.Get(t.Context(), tok.ID)
		porttestkit.MustNil(t, err, "Get again")
		sameToken(t, again, &want)
	})

	t.Run("unknown_and_malformed_ids_are_not_found", func(t *testing.T) {
		repo := newRepo(t)
		porttestkit.MustNil(t, repo.Create(t.Context(), newToken(at(0))), "Create")
		for _, id := range append([]string{kernel.NewID(at(1))}, malformedIDs...) {
			_, err := repo.Get(t.Context(), id)
			porttestkit.WantKind(t, err, kernel.KindNotFound, fmt.Sprintf("Get(%q)", id))
		}
	})

	t.Run("consume_works_once", func(t *testing.T) {
		repo := newRepo(t)
		tok, other := newToken(at(0)), newToken(at(1))
		porttestkit.MustNil(t, repo.Create(t.Context(), tok), "Create")
		porttestkit.MustNil(t, repo.Create(t.Context(), other), "Create other")

		porttestkit.MustNil(t, repo.Consume(t.Context(), tok.ID, at(10)), "first Consume")
		porttestkit.WantErr(t, repo.Consume(t.Context(), tok.ID, at(20)), identity.ErrInvalidOneTime, "second Consume")

		got, err := repo.Get(t.Context(), tok.ID)
		porttestkit.MustNil(t, err, "Get")
		want := *tok
		want.UsedAt = ptr(at(10))
		sameToken(t, got, &want)
		got, err = repo.Get(t.Context(), other.ID)
		porttestkit.MustNil(t, err, "Get other")
		sameToken(t, got, other)
	})

	t.Run("consume_of_a_token_created_used_fails", func(t *testing.T) {
		repo := newRepo(t)
		tok := newToken(at(0))
		tok.UsedAt = ptr(at(1))
		porttestkit.MustNil(t, repo.Create(t.Context(), tok), "Create")
		porttestkit.WantErr(t, repo.Consume(t.Context(), tok.ID, at(10)), identity.ErrInvalidOneTime, "Consume")
	})

	t.Run("consume_of_unknown_or_malformed_id_is_invalid", func(t *testing.T) {
		repo := newRepo(t)
		for _, id := range append([]string{kernel.NewID(at(1))}, malformedIDs...) {
			porttestkit.WantErr(t, repo.Consume(t.Context(), id, at(10)), identity.ErrInvalidOneTime, fmt.Sprintf("Consume(%q)", id))
		}
	})

	t.Run("concurrent_consumes_admit_one", func(t *testing.T) {
		repo := newRepo(t)
		tok := newToken(at(0))
		porttestkit.MustNil(t, repo.Create(t.Context(), tok), "Create")
		const n = 10
		errs := porttestkit.Concurrently(n, func(i int) error { return repo.Consume(t.Context(), tok.ID, at(10+i)) })
		winner := porttestkit.OneSucceeded(t, errs, identity.ErrInvalidOneTime)

		got, err := repo.Get(t.Context(), tok.ID)
		porttestkit.MustNil(t, err, "Get")
		porttestkit.SameTimePtr(t, "UsedAt", got.UsedAt, ptr(at(10+winner)))
	})

	t.Run("consume_all_voids_every_unused_token_of_the_user_and_purpose_only", func(t *testing.T) {
		repo := newRepo(t)
		user := kernel.NewID(at(0))
		mine1, mine2 := newToken(at(1)), newToken(at(2))
		mine1.UserID, mine2.UserID = user, user
		used := newToken(at(3))
		used.UserID, used.UsedAt = user, ptr(at(4))
		verify := newToken(at(5))
		verify.UserID, verify.Purpose = user, identity.PurposeVerifyEmail
		others := newToken(at(6))
		for _, tok := range []*identity.OneTimeToken{mine1, mine2, used, verify, others} {
			porttestkit.MustNil(t, repo.Create(t.Context(), tok), "Create")
		}
		porttestkit.MustNil(t, repo.ConsumeAll(t.Context(), user, identity.PurposePasswordReset, at(10)), "ConsumeAll")
		for _, c := range []struct {
			tok  *identity.OneTimeToken
			want *time.Time
		}{{mine1, ptr(at(10))}, {mine2, ptr(at(10))}, {used, ptr(at(4))}, {verify, nil}, {others, nil}} {
			got, err := repo.Get(t.Context(), c.tok.ID)
			porttestkit.MustNil(t, err, "Get")
			porttestkit.SameTimePtr(t, "UsedAt of "+c.tok.ID, got.UsedAt, c.want)
		}
		porttestkit.WantErr(t, repo.Consume(t.Context(), mine1.ID, at(11)), identity.ErrInvalidOneTime, "Consume a voided token")
		porttestkit.MustNil(t, repo.ConsumeAll(t.Context(), kernel.NewID(at(20)), identity.PurposePasswordReset, at(21)), "ConsumeAll of a user without tokens")
	})
}
