package identity

import "time"

// TokenPurpose says what a one-time token is for.
type TokenPurpose string

// One-time token purposes.
const (
	PurposePasswordReset TokenPurpose = "password_reset"
	PurposeVerifyEmail   TokenPurpose = "verify_email"
)

// OneTimeToken is a single-use secret sent by mail; only its hash is stored.
type OneTimeToken struct {
	ID        string
	UserID    string
	Purpose   TokenPurpose
	Hash      string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// UsableAt reports whether the token may be redeemed at now for purpose.
func (t *OneTimeToken) UsableAt(now time.Time, purpose TokenPurpose) bool {
	return t.Purpose == purpose && t.UsedAt == nil && now.Before(t.ExpiresAt)
}
