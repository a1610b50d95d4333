package identityapp

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// Login checks a password, applies the lockout and opens a session.
// Unknown emails cost one dummy hash so that timing does not reveal accounts.
//
// Every answer but a store failure leaves one auth.login event (success,
// failure or denied; and auth.lockout when this failure locked the account).
// When the event cannot be written the login fails with 503: a login is
// never answered without its trace (see audit.go).
func (s *Service) Login(ctx context.Context, email, password string, meta kernel.RequestMeta) (identityport.LoginResult, error) {
	meta = metaOf(ctx, meta)
	a := loginAttempt{}
	res, err := s.login(ctx, email, password, meta, &a)
	if !a.decided {
		return res, err // the store failed before an answer: nothing happened
	}
	e := audit.NewEvent(meta, audit.ActionLogin, "", "")
	e.ActorID = a.userID // the account the attempt was for, when the email is known
	if a.userID != "" {
		e.TargetType, e.TargetID = audit.TargetUser, a.userID
	}
	switch {
	case err == nil:
		e.Details = map[string]string{"session_id": a.sessionID}
	case errors.Is(err, identity.ErrBadCredentials):
		e.Outcome, e.Details = audit.Failure, map[string]string{"reason": a.reason}
	default: // locked or disabled
		e.Outcome, e.Details = audit.Denied, map[string]string{"reason": a.reason}
	}
	if aerr := s.recordLogin(ctx, e); aerr != nil {
		if err == nil {
			// The tokens are never handed out; end the session they belong to.
			s.report(ctx, "revoke an unaudited session", s.revokeSession(ctx, a.sessionID))
		}
		return identityport.LoginResult{}, aerr
	}
	if a.lockedUntil.IsZero() {
		return res, err
	}
	lock := audit.NewEvent(meta, audit.ActionLockout, audit.TargetUser, a.userID)
	lock.ActorID = a.userID
	lock.Details = map[string]string{"locked_until": a.lockedUntil.UTC().Format(time.RFC3339), "failed_attempts": strconv.Itoa(a.failures)}
	if aerr := s.recordLogin(ctx, lock); aerr != nil {
		return identityport.LoginResult{}, aerr
	}
	return res, err
}

// loginAttempt is what login found out, for the audit events.
type loginAttempt struct {
	decided     bool   // the attempt got an answer (not a store failure)
	userID      string // the account, when the email is registered
	sessionID   string
	reason      string // why it failed or was denied
	lockedUntil time.Time
	failures    int
}

func (s *Service) login(ctx context.Context, email, password string, meta kernel.RequestMeta, a *loginAttempt) (identityport.LoginResult, error) {
	u, err := s.Users.GetByEmail(ctx, email)
	if isNotFound(err) {
		s.Hasher.DummyVerify(ctx, password)
		a.decided, a.reason = true, "unknown_email"
		return identityport.LoginResult{}, identity.ErrBadCredentials
	}
	if err != nil {
		return identityport.LoginResult{}, err
	}
	a.userID = u.ID
	now := s.now()
	if locked, until := u.LockedAt(now); locked {
		a.decided, a.reason = true, "locked"
		return identityport.LoginResult{}, &identity.LockedError{Until: until}
	}
	ok, rehash, err := s.Hasher.Verify(ctx, password, u.PasswordHash)
	if err != nil {
		return identityport.LoginResult{}, err
	}
	if !ok {
		var lockedNow bool
		updated, err := s.Users.UpdateFrom(ctx, u, func(u *identity.User) error {
			// Concurrent failures may all reach the threshold: only the one that
			// found the account unlocked locked it.
			wasLocked, _ := u.LockedAt(now)
			lockedNow = u.RecordFailedLogin(now, s.settings.Lockout) && !wasLocked
			return nil
		})
		if err != nil && !isNotFound(err) {
			return identityport.LoginResult{}, err
		}
		a.decided, a.reason = true, "wrong_password"
		if lockedNow && updated != nil {
			_, a.lockedUntil = updated.LockedAt(now)
			a.failures = updated.Auth.FailedLoginAttempts
		}
		return identityport.LoginResult{}, identity.ErrBadCredentials
	}
	if !u.Active {
		a.decided, a.reason = true, "disabled"
		return identityport.LoginResult{}, identity.ErrAccountDisabled
	}
	newHash := ""
	if rehash {
		if newHash, err = s.Hasher.Hash(ctx, password); err != nil {
			return identityport.LoginResult{}, err
		}
	}
	// From the copy just read: when no concurrent attempt changed the user, the
	// bookkeeping is one write, not a read and a write.
	u, err = s.Users.UpdateFrom(ctx, u, func(u *identity.User) error {
		if locked, until := u.LockedAt(now); locked {
			// Locked by concurrent failures while this password was being checked.
			return &identity.LockedError{Until: until}
		}
		u.RecordSuccessfulLogin(now)
		if newHash != "" {
			u.PasswordHash = newHash
		}
		return nil
	})
	if errors.Is(err, identity.ErrAccountLocked) {
		a.decided, a.reason = true, "locked"
	}
	if err != nil {
		return identityport.LoginResult{}, err
	}
	pair, sessionID, err := s.openSession(ctx, u.ID, meta)
	if err != nil {
		return identityport.LoginResult{}, err
	}
	a.decided, a.sessionID = true, sessionID
	view, err := s.view(ctx, u)
	if err != nil {
		a.decided = false
		s.report(ctx, "revoke a session whose login failed", s.revokeSession(ctx, sessionID))
		return identityport.LoginResult{}, err
	}
	return identityport.LoginResult{TokenPair: pair, User: view}, nil
}

// openSession creates a session and its first token pair.
func (s *Service) openSession(ctx context.Context, userID string, meta kernel.RequestMeta) (identityport.TokenPair, string, error) {
	now := s.now()
	secret := newSecret()
	sess := &identity.Session{
		ID:                kernel.NewID(now),
		UserID:            userID,
		RefreshHash:       hashSecret(secret),
		RotatedAt:         now,
		CreatedAt:         now,
		LastUsedAt:        now,
		ExpiresAt:         now.Add(s.settings.RefreshTTL),
		AbsoluteExpiresAt: now.Add(s.settings.RefreshAbsoluteTTL),
		IP:                meta.IP,
		UserAgent:         truncate(meta.UserAgent, 256),
	}
	if sess.ExpiresAt.After(sess.AbsoluteExpiresAt) {
		sess.ExpiresAt = sess.AbsoluteExpiresAt
	}
	if err := s.SessionStore.Create(ctx, sess); err != nil {
		return identityport.TokenPair{}, "", err
	}
	pair, err := s.pair(userID, sess.ID, secret, now)
	return pair, sess.ID, err
}

func (s *Service) pair(userID, sessionID, secret string, now time.Time) (identityport.TokenPair, error) {
	access, ttl, err := s.Issuer.Issue(userID, sessionID, now)
	if err != nil {
		return identityport.TokenPair{}, err
	}
	return identityport.TokenPair{AccessToken: access, RefreshToken: joinToken(sessionID, secret), ExpiresIn: ttl}, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
