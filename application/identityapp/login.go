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
func (s *Service) Login(ctx context.Context, email, password string) (identityport.LoginResult, error) {
	meta := kernel.RequestMetaFrom(ctx)
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
	if !a.check.lockedNow {
		return res, err
	}
	if aerr := s.recordLogin(ctx, lockoutEvent(meta, a.check)); aerr != nil {
		return identityport.LoginResult{}, aerr
	}
	return res, err
}

// loginAttempt is what login found out, for the audit events.
type loginAttempt struct {
	decided   bool   // the attempt got an answer (not a store failure)
	userID    string // the account, when the email is registered
	sessionID string
	reason    string        // why it failed or was denied
	check     passwordCheck // the password's check, when it came to one
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
	a.userID = u.ID()
	check, err := s.checkPassword(ctx, u.ID(), password)
	if errors.Is(err, identity.ErrAccountLocked) {
		a.decided, a.reason = true, "locked"
	}
	if err != nil {
		return identityport.LoginResult{}, err
	}
	if !check.ok {
		a.decided, a.reason, a.check = true, "wrong_password", check
		return identityport.LoginResult{}, identity.ErrBadCredentials
	}
	now := s.now()
	if !check.user.Active() {
		// The password was right: the attempt is not held against the account.
		if _, err := s.Users.Update(ctx, u.ID(), func(u *identity.User) error { u.ClearLockout(); return nil }); err != nil && !isNotFound(err) {
			return identityport.LoginResult{}, err
		}
		a.decided, a.reason = true, "disabled"
		return identityport.LoginResult{}, identity.ErrAccountDisabled
	}
	newHash := ""
	if check.rehash {
		if newHash, err = s.Hasher.Hash(ctx, password); err != nil {
			return identityport.LoginResult{}, err
		}
	}
	u, err = s.Users.Update(ctx, u.ID(), func(u *identity.User) error {
		u.RecordSuccessfulLogin(now, check.user.Auth().FailedLoginAttempts)
		if newHash != "" {
			u.RehashPassword(newHash)
		}
		return nil
	})
	if err != nil {
		return identityport.LoginResult{}, err
	}
	pair, sessionID, err := s.openSession(ctx, u.ID(), meta)
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

// passwordCheck is what checkPassword found.
type passwordCheck struct {
	ok        bool           // the password is right
	rehash    bool           // its stored hash should be replaced (legacy bcrypt)
	lockedNow bool           // this attempt's reservation locked the account (and the password was wrong)
	user      *identity.User // the account as the reservation stored it
	at        time.Time      // when the attempt was reserved
}

// checkPassword checks a password of account userID the way every use case
// that takes one must (login, change-password, a self-service email change):
// the attempt is first reserved on the account as a failure, in one atomic
// step that refuses it when the account is locked (identity.LockedError);
// then the hash is checked, and a right password takes the reservation back
// in the caller's next write (RecordSuccessfulLogin, ClearLockout). So at most
// the lockout threshold of wrong passwords is ever checked in a lockout
// window, however many attempts arrive at once.
func (s *Service) checkPassword(ctx context.Context, userID, password string) (passwordCheck, error) {
	now := s.now()
	var lockedNow bool
	u, err := s.Users.Update(ctx, userID, func(u *identity.User) error {
		var err error
		lockedNow, err = u.ReserveLoginAttempt(now, s.settings.Lockout)
		return err
	})
	if err != nil {
		return passwordCheck{}, err
	}
	ok, rehash, err := s.Hasher.Verify(ctx, password, u.PasswordHash())
	if err != nil {
		return passwordCheck{}, err
	}
	return passwordCheck{ok: ok, rehash: rehash, lockedNow: lockedNow && !ok, user: u, at: now}, nil
}

// lockoutEvent is the auth.lockout event of a check whose wrong password
// locked the account.
func lockoutEvent(meta kernel.RequestMeta, check passwordCheck) audit.Event {
	_, until := check.user.LockedAt(check.at)
	e := audit.NewEvent(meta, audit.ActionLockout, audit.TargetUser, check.user.ID())
	e.ActorID = check.user.ID()
	e.Details = map[string]string{"locked_until": until.UTC().Format(time.RFC3339),
		"failed_attempts": strconv.Itoa(check.user.Auth().FailedLoginAttempts)}
	return e
}

// checkPasswordOf is checkPassword for the use cases other than login: the
// lockout a wrong password causes is recorded (login records its own).
func (s *Service) checkPasswordOf(ctx context.Context, userID, password string) (passwordCheck, error) {
	check, err := s.checkPassword(ctx, userID, password)
	if err == nil && check.lockedNow {
		s.record(ctx, lockoutEvent(kernel.RequestMetaFrom(ctx), check))
	}
	return check, err
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
