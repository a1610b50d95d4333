package ratelimithttp

import (
	"context"
	"net/netip"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// Limits are the configured limits (RATE_LIMIT_* variables).
type Limits struct {
	// Per client address.
	Signup, Login, Refresh, PasswordResetRequest, PasswordReset, VerifyEmail, ResendVerification Limit
	// Per account (the lower-cased email; the signed-in user for
	// verification mails).
	LoginAccount, PasswordResetRequestAccount, ResendVerificationAccount Limit
}

// Rule names: part of the stored keys, never change them.
const (
	RuleSignup                      = "signup"
	RuleLogin                       = "login"
	RuleLoginAccount                = "login_account"
	RuleRefresh                     = "refresh"
	RulePasswordResetRequest        = "password_reset_request"
	RulePasswordResetRequestAccount = "password_reset_request_account"
	RulePasswordReset               = "password_reset"
	RuleVerifyEmail                 = "verify_email"
	RuleResendVerification          = "resend_verification"
	RuleResendVerificationAccount   = "resend_verification_account"
)

const authPrefix = "/api/v1/auth"

// Guard applies the limits: per address through Before (an httpserver hook
// that runs before a route's handler), per account through Auth (a decorator of
// the authentication service, which is where the email is known).
type Guard struct {
	limiter       *Limiter
	trusted       []netip.Prefix
	byRoute       map[string]Rule
	loginAccount  Rule
	resetAccount  Rule
	resendAccount Rule
}

// New returns the guard; trusted are the proxies whose X-Forwarded-For is
// believed (TRUSTED_PROXIES).
func New(limiter *Limiter, limits Limits, trusted []netip.Prefix) *Guard {
	return &Guard{
		limiter: limiter,
		trusted: trusted,
		byRoute: map[string]Rule{
			fiber.MethodPost + " " + authPrefix + "/signup": {RuleSignup, limits.Signup},
			fiber.MethodPost + " " + authPrefix + "/login":  {RuleLogin, limits.Login},
			// A password check like a login's, so it spends the same budget.
			fiber.MethodPost + " " + authPrefix + "/change-password":        {RuleLogin, limits.Login},
			fiber.MethodPost + " " + authPrefix + "/refresh":                {RuleRefresh, limits.Refresh},
			fiber.MethodPost + " " + authPrefix + "/password-reset-request": {RulePasswordResetRequest, limits.PasswordResetRequest},
			fiber.MethodPost + " " + authPrefix + "/password-reset":         {RulePasswordReset, limits.PasswordReset},
			fiber.MethodPost + " " + authPrefix + "/verify-email":           {RuleVerifyEmail, limits.VerifyEmail},
			fiber.MethodPost + " " + authPrefix + "/resend-verification":    {RuleResendVerification, limits.ResendVerification},
		},
		loginAccount:  Rule{RuleLoginAccount, limits.LoginAccount},
		resetAccount:  Rule{RulePasswordResetRequestAccount, limits.PasswordResetRequestAccount},
		resendAccount: Rule{RuleResendVerificationAccount, limits.ResendVerificationAccount},
	}
}

// Routes lists the "METHOD /path" of every route limited per address.
func (g *Guard) Routes() []string {
	out := make([]string, 0, len(g.byRoute))
	for k := range g.byRoute {
		out = append(out, k)
	}
	return out
}

// Before counts a request to a limited route against its client address
// (httpserver.Options.Before) and sets the answer's RateLimit headers. It runs
// before the body is read, so refused requests cost no password hash.
func (g *Guard) Before(c *fiber.Ctx, r httpserver.Route) error {
	rule, ok := g.byRoute[r.Method+" "+r.Path]
	if !ok {
		return nil
	}
	d, err := g.limiter.Take(c.UserContext(), rule, clientSubject(httpserver.ClientIP(c, g.trusted)))
	if err != nil {
		return err
	}
	if d.Limit > 0 {
		httpserver.SetRateLimitHeaders(c, *d.state())
	}
	return refusal(d)
}

// clientSubject is what counts as one client: its address, or for IPv6 the
// /64 the address is in (a subscriber's block: its holder picks addresses
// from it at will).
func clientSubject(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	return httpserver.ClientPrefix(a).String()
}

// Auth wraps the authentication service with the per-account limits.
func (g *Guard) Auth(a identityport.AuthService) identityport.AuthService {
	return accountLimited{AuthService: a, g: g}
}

// accountLimited counts logins, password-reset requests and verification
// mails per account before the service sees them; every other use case passes
// through.
type accountLimited struct {
	identityport.AuthService
	g *Guard
}

func (a accountLimited) Login(ctx context.Context, email, password string) (identityport.LoginResult, error) {
	if err := a.g.limiter.Allow(ctx, a.g.loginAccount, account(email)); err != nil {
		return identityport.LoginResult{}, err
	}
	return a.AuthService.Login(ctx, email, password)
}

// ChangePassword checks a password as a login does: it is counted per
// account under the login limit (keyed by the user, whose address the
// request does not name).
func (a accountLimited) ChangePassword(ctx context.Context, p kernel.Principal, current, next string) error {
	if err := a.g.limiter.Allow(ctx, a.g.loginAccount, "user:"+p.UserID); err != nil {
		return err
	}
	return a.AuthService.ChangePassword(ctx, p, current, next)
}

func (a accountLimited) ResendVerification(ctx context.Context, p kernel.Principal) error {
	if err := a.g.limiter.Allow(ctx, a.g.resendAccount, p.UserID); err != nil {
		return err
	}
	return a.AuthService.ResendVerification(ctx, p)
}

func (a accountLimited) RequestPasswordReset(ctx context.Context, email string) error {
	if err := a.g.limiter.Allow(ctx, a.g.resetAccount, account(email)); err != nil {
		return err
	}
	return a.AuthService.RequestPasswordReset(ctx, email)
}
