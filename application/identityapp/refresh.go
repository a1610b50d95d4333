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
// exactly one wins, because the rotation is a compare-and-set on the session.
//
// A detected reuse records auth.refresh_reuse_detected (denied) for the
// session's owner; ordinary rotations record nothing (they are not
// security-relevant and would drown the trail).
func (s *Service) Refresh(ctx context.Context, refreshToken string, meta kernel.RequestMeta) (identityport.TokenPair, error) {
	sid, secret, ok := splitToken(refreshToken)
	if !ok {
		return identityport.TokenPair{}, identity.ErrInvalidRefresh
	}
	presented := hashSecret(secret)
	next := newSecret()
	now := s.now()
	var outcome identity.RefreshOutcome
	sess, err := s.SessionStore.Update(ctx, sid, func(sess *identity.Session) error {
		outcome = sess.ClassifyRefresh(presented, now, s.settings.RefreshReuseGrace)
		switch outcome {
		case identity.RefreshRotate, identity.RefreshRetry:
			sess.Rotate(hashSecret(next), now, s.settings.RefreshTTL)
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
		e := audit.NewEvent(metaOf(ctx, meta), audit.ActionRefreshReuseDetected, audit.TargetSession, sid)
		e.ActorID, e.Outcome = sess.UserID, audit.Denied
		e.Details = map[string]string{"reason": "refresh_token_reused", "session_revoked": "true"}
		s.record(ctx, e)
		return identityport.TokenPair{}, identity.ErrRefreshReused
	}
	u, err := s.Users.Get(ctx, sess.UserID)
	if err != nil || !u.Active {
		if err != nil && !isNotFound(err) {
			return identityport.TokenPair{}, err
		}
		return identityport.TokenPair{}, identity.ErrInvalidRefresh
	}
	return s.pair(sess.UserID, sess.ID, next, now)
}
