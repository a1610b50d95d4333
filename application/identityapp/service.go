// Package identityapp implements the identity use cases: sign-up, login, sessions,
// password reset, e-mail verification and user management.
package identityapp

import (
	"context"
	"time"

	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Settings are the identity rules that configuration may change.
type Settings struct {
	RefreshTTL         time.Duration // sliding
	RefreshAbsoluteTTL time.Duration
	RefreshReuseGrace  time.Duration
	Lockout            identity.LockoutPolicy
	PasswordResetTTL   time.Duration
	VerificationTTL    time.Duration
	PublicBaseURL      string
}

// Deps are the driven ports the identity use cases need.
type Deps struct {
	Users        identityport.UserRepository
	SessionStore identityport.SessionRepository
	Tokens       identityport.OneTimeTokenRepository
	Hasher       identityport.PasswordHasher
	Issuer       identityport.TokenIssuer
	Roles        identityport.RoleDirectory
	Mailer       platformport.Mailer
	Clock        platformport.Clock
	Reporter     platformport.ErrorReporter
	// Audit receives the context's audit events (nil: none are recorded).
	Audit auditport.Log
	// Departures settles a deleted user's memberships (nil: nothing to settle).
	Departures identityport.Departures
	// Tx writes a change and the audit event telling of it together (nil:
	// one after the other).
	Tx platformport.Transactor
}

// Service implements identityport.AuthService and identityport.UserService.
type Service struct {
	Deps
	settings Settings
}

var (
	_ identityport.AuthService = (*Service)(nil)
	_ identityport.UserService = (*Service)(nil)
)

// New builds the identity service.
func New(d Deps, s Settings) *Service { return &Service{Deps: d, settings: s} }

func (s *Service) now() time.Time { return s.Clock.Now().UTC().Truncate(time.Millisecond) }

// view resolves a user's roles for a response.
func (s *Service) view(ctx context.Context, u *identity.User) (identityport.UserView, error) {
	roles, err := s.Roles.ByIDs(ctx, u.RoleIDs())
	if err != nil {
		return identityport.UserView{}, err
	}
	return identityport.UserView{User: u, Roles: roles}, nil
}

func (s *Service) report(ctx context.Context, op string, err error) {
	if err != nil && s.Reporter != nil {
		s.Reporter.Report(ctx, op, err)
	}
}
