// Package wiring is the composition root: the only place besides cmd that knows
// fx. Each adapter gets a small module here; Production and the test graphs pick
// which store backs the ports.
package wiring

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/rs/zerolog"
	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"

	"github.com/civicdatatrust/civictrust/adapters/bridge"
	"github.com/civicdatatrust/civictrust/adapters/crypto/jwtkeys"
	"github.com/civicdatatrust/civictrust/adapters/crypto/passwordhash"
	"github.com/civicdatatrust/civictrust/adapters/mail"
	"github.com/civicdatatrust/civictrust/adapters/system"
	"github.com/civicdatatrust/civictrust/application/accessapp"
	"github.com/civicdatatrust/civictrust/application/auditapp"
	"github.com/civicdatatrust/civictrust/application/communityapp"
	"github.com/civicdatatrust/civictrust/application/identityapp"
	"github.com/civicdatatrust/civictrust/configs"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/ports/accessport"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/communityport"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Service is the graph `civictrust` serves for cfg: the store it names
// (MongoDB, or the embedded SQLite database) and the HTTP server.
func Service(cfg configs.Config) fx.Option {
	return fx.Options(fx.Supply(cfg), Core(), Store(cfg), HTTP())
}

// Core provides everything that does not depend on the store choice.
func Core() fx.Option {
	return fx.Options(
		fx.WithLogger(func(log zerolog.Logger) fxevent.Logger { return fxLogger{log: log} }),
		fx.Provide(
			NewLogger,
			func() platformport.Clock { return system.Clock{} },
			func(log zerolog.Logger) platformport.ErrorReporter { return system.LogReporter{Log: log} },
			newHasher,
			newKeySet,
			newIssuer,
			newMailer,
			newAccessService,
			func(a *accessapp.Service) identityport.RoleDirectory { return bridge.NewRoleDirectory(a) },
			func(u identityport.UserRepository, c platformport.Clock) identityport.RoleAssignments {
				return identityapp.NewRoleAssignments(u, c)
			},
			newIdentityService,
			func(s *identityapp.Service) identityport.AuthService { return s },
			func(s *identityapp.Service) identityport.UserService { return s },
			func(s *accessapp.Service) accessport.Service { return s },
			newCommunityService,
			func(s *communityapp.Service) communityport.Service { return s },
			func(s *communityapp.Service) identityport.Departures { return s },
		),
		datasetServices(),
		governanceServices(),
		fx.Invoke(registerBootstrap),
	)
}

// NewLogger builds the zerolog logger from configuration; it writes to stderr.
func NewLogger(cfg configs.Config) zerolog.Logger {
	noColor := os.Getenv("NO_COLOR") != ""
	return newLogger(cfg, os.Stderr, colours(os.Stderr, noColor))
}

// colours reports whether console logs to out may be coloured: only on a
// terminal, and never when NO_COLOR is set (no-color.org: present, whatever
// its value) and not empty).
func colours(out *os.File, noColor bool) bool {
	if noColor {
		return false
	}
	st, err := out.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func newLogger(cfg configs.Config, out io.Writer, colour bool) zerolog.Logger {
	level, err := zerolog.ParseLevel(cfg.LogLevel)
	if err != nil {
		level = zerolog.InfoLevel
	}
	var log zerolog.Logger
	if cfg.LogFormat == configs.LogFormatConsole {
		log = zerolog.New(zerolog.ConsoleWriter{Out: out, NoColor: !colour})
	} else {
		log = zerolog.New(out)
	}
	return log.Level(level).With().Timestamp().Str("service", "civictrust").Logger()
}

func newHasher(cfg configs.Config) (identityport.PasswordHasher, error) {
	return passwordhash.New(passwordhash.Options{Concurrency: cfg.HashConcurrency})
}

func newKeySet(cfg configs.Config, clock platformport.Clock) (*jwtkeys.KeySet, error) {
	return jwtkeys.LoadOrCreate(cfg.JWTKeysDir, cfg.JWTActiveKID, clock.Now())
}

func newIssuer(cfg configs.Config, keys *jwtkeys.KeySet) (identityport.TokenIssuer, error) {
	return jwtkeys.NewIssuer(keys, jwtkeys.IssuerOptions{Issuer: cfg.JWTIssuer, Audience: cfg.JWTAudience, TTL: cfg.AccessTokenTTL})
}

func newMailer(cfg configs.Config, log zerolog.Logger) (platformport.Mailer, error) {
	return mail.New(cfg.MailDriver, mail.Options{Dir: cfg.MailDir, SMTPURL: cfg.SMTPURL, Log: log})
}

type accessDeps struct {
	fx.In
	Lifecycle fx.Lifecycle
	Config    configs.Config
	Roles     accessport.RoleRepository
	Modules   accessport.ModuleRepository
	RoleUsers identityport.RoleAssignments
	Clock     platformport.Clock
	// Audit is auditapp's (it needs only its store and the clock: no cycle).
	Audit    auditport.Log
	Reporter platformport.ErrorReporter
}

// newAccessService builds the access service. Its snapshot of roles and modules
// is refreshed at least every 2 s, so other replicas obey changes well within 5 s.
// It is built after the store it reads and before the HTTP server that asks
// it, so on stop its background reload ends after the last request and before
// the store closes.
func newAccessService(d accessDeps) *accessapp.Service {
	svc := accessapp.New(accessapp.Deps{
		Roles: d.Roles, Modules: d.Modules, Holders: bridge.NewRoleHolders(d.RoleUsers),
		Clock: d.Clock, Audit: d.Audit, Reporter: d.Reporter,
	}, 2*time.Second)
	d.Lifecycle.Append(fx.Hook{
		OnStart: func(context.Context) error { svc.Start(); return nil },
		OnStop:  svc.Close,
	})
	return svc
}

type identityDeps struct {
	fx.In
	Config   configs.Config
	Users    identityport.UserRepository
	Sessions identityport.SessionRepository
	Tokens   identityport.OneTimeTokenRepository
	Hasher   identityport.PasswordHasher
	Issuer   identityport.TokenIssuer
	Roles    identityport.RoleDirectory
	Mailer   platformport.Mailer
	Clock    platformport.Clock
	Reporter platformport.ErrorReporter
	Audit    auditport.Log
	// Departures is the communities context's: a deleted user's memberships end.
	Departures identityport.Departures
	Tx         platformport.Transactor
}

func newIdentityService(d identityDeps) *identityapp.Service {
	cfg := d.Config
	return identityapp.New(identityapp.Deps{
		Users: d.Users, SessionStore: d.Sessions, Tokens: d.Tokens, Hasher: d.Hasher, Issuer: d.Issuer,
		Roles: d.Roles, Mailer: d.Mailer, Clock: d.Clock, Reporter: d.Reporter, Audit: d.Audit,
		Departures: d.Departures, Tx: d.Tx,
	}, identityapp.Settings{
		RefreshTTL:         cfg.RefreshTokenTTL,
		RefreshAbsoluteTTL: cfg.RefreshTokenAbsoluteTTL,
		RefreshReuseGrace:  cfg.RefreshReuseInterval,
		Lockout:            identity.LockoutPolicy{Threshold: cfg.LoginLockoutThreshold, Duration: cfg.LoginLockoutDuration},
		PasswordResetTTL:   cfg.PasswordResetTTL,
		VerificationTTL:    cfg.EmailVerificationTTL,
		PublicBaseURL:      cfg.PublicBaseURL,
	})
}

// registerBootstrap seeds roles and the first admin once the store is up.
func registerBootstrap(lc fx.Lifecycle, cfg configs.Config, access *accessapp.Service, users identityport.UserService, log zerolog.Logger) {
	lc.Append(fx.Hook{OnStart: func(ctx context.Context) error {
		if err := access.Seed(ctx); err != nil {
			return err
		}
		if cfg.AdminEmail == "" {
			return nil
		}
		created, err := users.CreateAdmin(ctx, "Administrator", cfg.AdminEmail, cfg.AdminPassword)
		if err != nil {
			return err
		}
		if created {
			log.Info().Str("email", cfg.AdminEmail).Msg("created the first administrator")
		}
		return nil
	}})
}

func dataPath(cfg configs.Config, parts ...string) string {
	return filepath.Join(append([]string{cfg.DataDir}, parts...)...)
}

// StoreTools is the store cfg names and what moving it needs: its records
// as sections, its blob store and its audit service. Nothing else is built
// or started: no seeding of roles or of the first admin, so that a store to
// import into stays empty.
func StoreTools(cfg configs.Config) fx.Option {
	return fx.Options(fx.Supply(cfg), Store(cfg), fx.Provide(
		func() platformport.Clock { return system.Clock{} },
		newAuditService,
		func(s *auditapp.Service) auditport.Service { return s },
	))
}

// CLI is the graph of command-line verbs for cfg: the store and the
// services, no HTTP.
func CLI(cfg configs.Config) fx.Option {
	return fx.Options(fx.Supply(cfg), Core(), Store(cfg))
}
