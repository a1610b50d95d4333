package identityapp

import (
	"context"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// Refresh rotates a refresh token. Presenting a rotated-away token again revokes
// the whole session (theft detection); of concurrent refreshes with one token
// exactly one rotates, because the rotation is a compare-and-set on the session.
//
// The others, and a client retrying a lost answer, present the token just
// rotated away: within the grace interval (REFRESH_REUSE_INTERVAL) they get
// the refresh token the rotation made, derived again from the one they hold,
// so that every caller ends up with the one secret the session accepts.
//
// A detected reuse records auth.refresh_reuse_detected (denied) for the
// session's owner; ordinary rotations record nothing (they are not
// security-relevant and would drown the trail).
func (s *Service) Refresh(ctx context.Context, refreshToken string) (identityport.TokenPair, error) {
	meta := kernel.RequestMetaFrom(ctx)
	sid, secret, ok := splitToken(refreshToken)
	if !ok {
		return identityport.TokenPair{}, identity.ErrInvalidRefresh
	}
	presented := hashSecret(secret)
	now := s.now()
	var outcome identity.RefreshOutcome
	var next string
	sess, err := s.SessionStore.Update(ctx, sid, func(sess *identity.Session) error {
		outcome = sess.ClassifyRefresh(presented, now, s.settings.RefreshReuseGrace)
		switch outcome {
		case identity.RefreshRetry:
			if again := deriveSecret(secret, sess.RotationNonce); sess.RotationNonce != "" && sameHash(hashSecret(again), sess.RefreshHash) {
				next = again
				sess.LastUsedAt = now
				return nil
			}
			// A session rotated before nonces were kept: rotate once more.
			fallthrough
		case identity.RefreshRotate:
			nonce := newSecret()
			next = deriveSecret(secret, nonce)
			sess.Rotate(hashSecret(next), nonce, now, s.settings.RefreshTTL)
			return nil
		case identity.RefreshReused:
			sess.Revoke(now)
			return nil
		default:
			return identity.ErrInvalidRefresh
		}
	})
	if isNotFound(err) {
		return identityport.TokenPair{}, identity.ErrInvalidRefresh
	}
	if err != nil {
		return identityport.TokenPair{}, err
	}
	if outcome == identity.RefreshReused {
		e := audit.NewEvent(meta, audit.ActionRefreshReuseDetected, audit.TargetSession, sid)
		e.ActorID, e.Outcome = sess.UserID, audit.Denied
		e.Details = map[string]string{"reason": "refresh_token_reused", "session_revoked": "true"}
		s.record(ctx, e)
		return identityport.TokenPair{}, identity.ErrRefreshReused
	}
	u, err := s.Users.Get(ctx, sess.UserID)
	if err != nil || !u.Active() {
		if err != nil && !isNotFound(err) {
			return identityport.TokenPair{}, err
		}
		return identityport.TokenPair{}, identity.ErrInvalidRefresh
	}
	return s.pair(sess.UserID, sess.ID, next, now)
}
