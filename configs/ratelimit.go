package configs

import (
	"strconv"
	"strings"
	"time"
)

// Bounds of a RATE_LIMIT_* value.
const (
	// MaxRateLimitCount is the largest count: with the shortest window, one
	// request per millisecond.
	MaxRateLimitCount = 1000
	// MinRateLimitWindow is the shortest window.
	MinRateLimitWindow = time.Second
)

// RateLimit is at most Count requests per Window, sliding: Count at once,
// then one per Window/Count as time passes. Written "Count/Window", e.g. 10/1m.
type RateLimit struct {
	Count  int
	Window time.Duration
}

// String renders the limit as a RATE_LIMIT_* value.
func (r RateLimit) String() string {
	return strconv.Itoa(r.Count) + "/" + shortDuration(r.Window)
}

// RateLimitPolicies are the limits applied while RateLimits is on: per client
// address for each public authentication route, and per account (the
// lower-cased email) for login and password-reset requests, and per signed-in
// account for verification mails.
type RateLimitPolicies struct {
	// Per client address.
	Signup               RateLimit // RATE_LIMIT_SIGNUP
	Login                RateLimit // RATE_LIMIT_LOGIN
	Refresh              RateLimit // RATE_LIMIT_REFRESH
	PasswordResetRequest RateLimit // RATE_LIMIT_PASSWORD_RESET_REQUEST
	PasswordReset        RateLimit // RATE_LIMIT_PASSWORD_RESET
	VerifyEmail          RateLimit // RATE_LIMIT_VERIFY_EMAIL
	ResendVerification   RateLimit // RATE_LIMIT_RESEND_VERIFICATION
	// Per account.
	LoginAccount                RateLimit // RATE_LIMIT_LOGIN_ACCOUNT
	PasswordResetRequestAccount RateLimit // RATE_LIMIT_PASSWORD_RESET_REQUEST_ACCOUNT
	ResendVerificationAccount   RateLimit // RATE_LIMIT_RESEND_VERIFICATION_ACCOUNT
}

// rateLimitPolicies reads every RATE_LIMIT_* variable.
func (l *loader) rateLimitPolicies() RateLimitPolicies {
	return RateLimitPolicies{
		Signup:                      l.rateLimit(EnvRateLimitSignup),
		Login:                       l.rateLimit(EnvRateLimitLogin),
		LoginAccount:                l.rateLimit(EnvRateLimitLoginAccount),
		Refresh:                     l.rateLimit(EnvRateLimitRefresh),
		PasswordResetRequest:        l.rateLimit(EnvRateLimitPasswordResetRequest),
		PasswordResetRequestAccount: l.rateLimit(EnvRateLimitPasswordResetRequestAccount),
		PasswordReset:               l.rateLimit(EnvRateLimitPasswordReset),
		VerifyEmail:                 l.rateLimit(EnvRateLimitVerifyEmail),
		ResendVerification:          l.rateLimit(EnvRateLimitResendVerification),
		ResendVerificationAccount:   l.rateLimit(EnvRateLimitResendVerificationAccount),
	}
}

// rateLimit parses "count/window": a whole count from 1 to MaxRateLimitCount
// and a Go duration of at least MinRateLimitWindow.
func (l *loader) rateLimit(name string) RateLimit {
	s := l.value(name)
	countText, windowText, ok := strings.Cut(s, "/")
	count, cerr := strconv.Atoi(strings.TrimSpace(countText))
	window, werr := time.ParseDuration(strings.TrimSpace(windowText))
	switch {
	case !ok || cerr != nil || werr != nil:
		l.invalid(name, s, "is not a count and a window (e.g. "+l.variable(name).def+")")
	case count < 1 || count > MaxRateLimitCount:
		l.invalid(name, s, "must allow from 1 to "+strconv.Itoa(MaxRateLimitCount)+" requests (use RATE_LIMITS=off to disable the limits)")
	case window < MinRateLimitWindow:
		l.invalid(name, s, "has a window shorter than "+shortDuration(MinRateLimitWindow))
	default:
		return RateLimit{Count: count, Window: window}
	}
	return RateLimit{}
}

// readinessDelay reads SHUTDOWN_READINESS_DELAY, which is spent within
// SHUTDOWN_TIMEOUT and so must be shorter.
func (l *loader) readinessDelay(name string, timeout time.Duration) time.Duration {
	d := l.duration(name, true, 0)
	if timeout > 0 && d >= timeout {
		l.invalid(name, l.value(name), "must be shorter than "+EnvShutdownTimeout+" ("+shortDuration(timeout)+"), which it is part of")
		return 0
	}
	return d
}
