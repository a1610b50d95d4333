package identityapp

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// RequestPasswordReset mails a reset link when the email is registered, and
// behaves identically (same answer, no error) when it is not. Either way it
// records auth.password_reset_requested: for the account, or as a failure
// with no account and no address.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	e := audit.NewEvent(kernel.RequestMetaFrom(ctx), audit.ActionPasswordResetRequested, "", "")
	u, err := s.Users.GetByEmail(ctx, email)
	if isNotFound(err) {
		e.Outcome, e.Details = audit.Failure, map[string]string{"reason": "unknown_email"}
		s.record(ctx, e)
		return nil
	}
	if err != nil {
		return err
	}
	e.TargetType, e.TargetID = audit.TargetUser, u.ID()
	tok, err := s.issueOneTime(ctx, u.ID(), identity.PurposePasswordReset, s.settings.PasswordResetTTL, "")
	if err != nil {
		return err
	}
	link := s.settings.PublicBaseURL + "/reset-password?token=" + url.QueryEscape(tok)
	s.report(ctx, "send password reset mail", s.Mailer.Send(ctx, platformport.Message{
		To:      u.Email(),
		Subject: "Reset your Civic Data Trust password",
		Body: "Someone asked to reset the password of this account.\n\n" +
			"Open this link within " + s.settings.PasswordResetTTL.String() + " to choose a new password:\n" + link +
			"\n\nToken: " + tok + "\n\nIf it was not you, ignore this message.\n",
	}))
	s.record(ctx, e)
	return nil
}

// ResetPassword redeems a reset token: new password, lockout cleared, every
// session revoked. It records auth.password_reset: by the token's owner, or as
// a failure (a bad, used or expired token) with no actor.
func (s *Service) ResetPassword(ctx context.Context, token, newPassword string) error {
	e := audit.NewEvent(kernel.RequestMetaFrom(ctx), audit.ActionPasswordReset, "", "")
	userID, err := s.resetPassword(ctx, token, newPassword)
	switch {
	case err == nil:
		e.ActorID, e.TargetType, e.TargetID = userID, audit.TargetUser, userID
		s.record(ctx, e)
	case errors.Is(err, identity.ErrInvalidOneTime):
		e.Outcome, e.Details = audit.Failure, map[string]string{"reason": identity.ErrInvalidOneTime.Code}
		s.record(ctx, e)
	}
	return err
}

func (s *Service) resetPassword(ctx context.Context, token, newPassword string) (string, error) {
	if len(identity.CheckPassword(newPassword)) > 0 {
		return "", identity.ErrWeakPassword.WithField("new_password")
	}
	t, err := s.redeem(ctx, token, identity.PurposePasswordReset, nil)
	if err != nil {
		return "", err
	}
	hash, err := s.Hasher.Hash(ctx, newPassword)
	if err != nil {
		return "", err
	}
	now := s.now()
	if _, err := s.Users.Update(ctx, t.UserID, func(u *identity.User) error {
		u.ChangePassword(hash, now)
		return nil
	}); err != nil {
		if isNotFound(err) {
			return "", identity.ErrInvalidOneTime
		}
		return "", err
	}
	// Any other reset link of the account stops working with this one.
	if err := s.Tokens.ConsumeAll(ctx, t.UserID, identity.PurposePasswordReset, now); err != nil {
		return "", err
	}
	return t.UserID, s.revokeAll(ctx, t.UserID, "")
}

// ChangePassword replaces the caller's password and revokes their other
// sessions. It records auth.password_changed, also when the current password
// was wrong (a failure: someone holding a stolen token may be guessing).
func (s *Service) ChangePassword(ctx context.Context, p kernel.Principal, current, next string) error {
	err := s.changePassword(ctx, p, current, next)
	e := event(ctx, p.UserID, audit.ActionPasswordChanged, audit.TargetUser, p.UserID)
	switch {
	case err == nil:
		s.record(ctx, e)
	case errors.Is(err, identity.ErrWrongPassword):
		e.Outcome, e.Details = audit.Failure, map[string]string{"reason": identity.ErrWrongPassword.Code}
		s.record(ctx, e)
	}
	return err
}

func (s *Service) changePassword(ctx context.Context, p kernel.Principal, current, next string) error {
	if len(identity.CheckPassword(next)) > 0 {
		return identity.ErrWeakPassword.WithField("new_password")
	}
	check, err := s.checkPasswordOf(ctx, p.UserID, current)
	if err != nil {
		return err
	}
	if !check.ok {
		return identity.ErrWrongPassword
	}
	hash, err := s.Hasher.Hash(ctx, next)
	if err != nil {
		return err
	}
	now := s.now()
	if _, err := s.Users.Update(ctx, p.UserID, func(u *identity.User) error {
		u.ChangePassword(hash, now)
		return nil
	}); err != nil {
		return err
	}
	// A reset link mailed before the change would undo it.
	if err := s.Tokens.ConsumeAll(ctx, p.UserID, identity.PurposePasswordReset, now); err != nil {
		return err
	}
	return s.revokeAll(ctx, p.UserID, p.SessionID)
}

// VerifyEmail redeems an e-mail verification token. The token proves the
// address it was mailed to, so it is bound to that address: after an email
// change it no longer verifies anything.
func (s *Service) VerifyEmail(ctx context.Context, token string) error {
	var email string
	t, err := s.redeem(ctx, token, identity.PurposeVerifyEmail, func(ctx context.Context, userID string) (string, error) {
		u, err := s.Users.Get(ctx, userID)
		if isNotFound(err) {
			return "", identity.ErrInvalidOneTime
		}
		if err != nil {
			return "", err
		}
		email = u.Email()
		return email, nil
	})
	if err != nil {
		return err
	}
	now := s.now()
	_, err = s.Users.Update(ctx, t.UserID, func(u *identity.User) error {
		// ErrInvalidOneTime when the address changed while the token was being checked.
		return u.VerifyEmail(email, now)
	})
	if isNotFound(err) {
		return identity.ErrInvalidOneTime
	}
	if err != nil {
		return err
	}
	s.record(ctx, event(ctx, t.UserID, audit.ActionEmailVerified, audit.TargetUser, t.UserID))
	return nil
}

// ResendVerification sends a new verification mail to the caller.
func (s *Service) ResendVerification(ctx context.Context, p kernel.Principal) error {
	u, err := s.Users.Get(ctx, p.UserID)
	if err != nil {
		return err
	}
	if u.Auth().EmailVerified {
		return identity.ErrAlreadyVerified
	}
	return s.sendVerification(ctx, u)
}

func (s *Service) sendVerification(ctx context.Context, u *identity.User) error {
	tok, err := s.issueOneTime(ctx, u.ID(), identity.PurposeVerifyEmail, s.settings.VerificationTTL, u.Email())
	if err != nil {
		return err
	}
	link := s.settings.PublicBaseURL + "/verify-email?token=" + url.QueryEscape(tok)
	return s.Mailer.Send(ctx, platformport.Message{
		To:      u.Email(),
		Subject: "Confirm your e-mail address for Civic Data Trust",
		// The name is the signer's word, and the address may not be theirs:
		// quoted, it cannot pass for the trust's own text.
		Body: "Welcome, " + kernel.QuoteLine(u.Name()) + ".\n\nConfirm your e-mail address by opening this link:\n" + link +
			"\n\nToken: " + tok + "\n\nIf you did not sign up, ignore this message.\n",
	})
}

// issueOneTime stores a new one-time token; binding (if any) is mixed into the
// stored hash, so the token only redeems while redeem computes the same binding.
func (s *Service) issueOneTime(ctx context.Context, userID string, purpose identity.TokenPurpose, ttl time.Duration, binding string) (string, error) {
	now := s.now()
	secret := newSecret()
	t := &identity.OneTimeToken{
		ID:        kernel.NewID(now),
		UserID:    userID,
		Purpose:   purpose,
		Hash:      boundHash(secret, binding),
		CreatedAt: now,
		ExpiresAt: now.Add(ttl),
	}
	if err := s.Tokens.Create(ctx, t); err != nil {
		return "", err
	}
	return joinToken(t.ID, secret), nil
}

// redeem checks and consumes a one-time token; every failure looks the same.
// bind, when not nil, returns the token owner's current binding (see issueOneTime).
func (s *Service) redeem(ctx context.Context, token string, purpose identity.TokenPurpose,
	bind func(ctx context.Context, userID string) (string, error)) (*identity.OneTimeToken, error) {
	id, secret, ok := splitToken(token)
	if !ok {
		return nil, identity.ErrInvalidOneTime
	}
	t, err := s.Tokens.Get(ctx, id)
	if isNotFound(err) {
		return nil, identity.ErrInvalidOneTime
	}
	if err != nil {
		return nil, err
	}
	if !t.UsableAt(s.now(), purpose) {
		return nil, identity.ErrInvalidOneTime
	}
	binding := ""
	if bind != nil {
		if binding, err = bind(ctx, t.UserID); err != nil {
			return nil, err
		}
	}
	if !sameHash(t.Hash, boundHash(secret, binding)) {
		return nil, identity.ErrInvalidOneTime
	}
	if err := s.Tokens.Consume(ctx, t.ID, s.now()); err != nil {
		return nil, err
	}
	return t, nil
}
