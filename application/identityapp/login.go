package identityapp

import (
	"context"
	"time"

	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// Login checks a password, applies the lockout and opens a session.
// Unknown emails cost one dummy hash so that timing does not reveal accounts.
func (s *Service) Login(ctx context.Context, email, password string, meta kernel.RequestMeta) (identityport.LoginResult, error) {
	u, err := s.Users.GetByEmail(ctx, email)
	if isNotFound(err) {
		s.Hasher.DummyVerify(ctx, password)
		return identityport.LoginResult{}, identity.ErrBadCredentials
	}
	if err != nil {
		return identityport.LoginResult{}, err
	}
	now := s.now()
	if locked, until := u.LockedAt(now); locked {
		return identityport.LoginResult{}, &identity.LockedError{Until: until}
	}
	ok, rehash, err := s.Hasher.Verify(ctx, password, u.PasswordHash)
	if err != nil {
		return identityport.LoginResult{}, err
	}
	if !ok {
		if _, err := s.Users.Update(ctx, u.ID, func(u *identity.User) error {
			u.RecordFailedLogin(now, s.settings.Lockout)
			return nil
		}); err != nil && !isNotFound(err) {
			return identityport.LoginResult{}, err
		}
		return identityport.LoginResult{}, identity.ErrBadCredentials
	}
	if !u.Active {
		return identityport.LoginResult{}, identity.ErrAccountDisabled
	}
	newHash := ""
	if rehash {
		if newHash, err = s.Hasher.Hash(ctx, password); err != nil {
			return identityport.LoginResult{}, err
		}
	}
	u, err = s.Users.Update(ctx, u.ID, func(u *identity.User) error {
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
	if err != nil {
		return identityport.LoginResult{}, err
	}
	pair, err := s.openSession(ctx, u.ID, meta)
	if err != nil {
		return identityport.LoginResult{}, err
	}
	view, err := s.view(ctx, u)
	if err != nil {
		return identityport.LoginResult{}, err
	}
	return identityport.LoginResult{TokenPair: pair, User: view}, nil
}

// openSession creates a session and its first token pair.
func (s *Service) openSession(ctx context.Context, userID string, meta kernel.RequestMeta) (identityport.TokenPair, error) {
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
		return identityport.TokenPair{}, err
	}
	return s.pair(userID, sess.ID, secret, now)
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
