package configs

import (
	"strings"
	"testing"
	"time"
)

func TestLoad_rate_limits_and_readiness_delay(t *testing.T) {
	t.Parallel()
	cfg := mustLoad(t, env{
		"RATE_LIMIT_LOGIN":                          " 3 / 30s ",
		"RATE_LIMIT_PASSWORD_RESET_REQUEST_ACCOUNT": "1/24h",
		"SHUTDOWN_TIMEOUT":                          "20s",
		"SHUTDOWN_READINESS_DELAY":                  "0s",
	}, "")
	if got, want := cfg.RateLimitPolicies.Login, (RateLimit{3, 30 * time.Second}); got != want {
		t.Errorf("Login = %v, want %v", got, want)
	}
	if got := cfg.RateLimitPolicies.PasswordResetRequestAccount.String(); got != "1/24h" {
		t.Errorf("PasswordResetRequestAccount = %s, want 1/24h", got)
	}
	if cfg.RateLimitPolicies.Signup != (RateLimit{60, time.Hour}) {
		t.Errorf("Signup = %v, want the default 60/1h", cfg.RateLimitPolicies.Signup)
	}
	if cfg.ShutdownReadinessDelay != 0 {
		t.Errorf("ShutdownReadinessDelay = %v, want 0", cfg.ShutdownReadinessDelay)
	}
}

func TestLoad_bad_rate_limits_and_readiness_delay_are_named(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, variable, value, want string
		extra                       env
	}{
		{"no_slash", "RATE_LIMIT_SIGNUP", "20", "is not a count and a window (e.g. 60/1h)", nil},
		{"resend_account", "RATE_LIMIT_RESEND_VERIFICATION_ACCOUNT", "0/1h", "from 1 to 1000", nil},
		{"words", "RATE_LIMIT_LOGIN", "10 per minute", "is not a count and a window", nil},
		{"bad_window", "RATE_LIMIT_REFRESH", "60/minute", "is not a count and a window", nil},
		{"zero", "RATE_LIMIT_LOGIN_ACCOUNT", "0/1m", "from 1 to 1000", nil},
		{"too_many", "RATE_LIMIT_VERIFY_EMAIL", "5000/1h", "from 1 to 1000", nil},
		{"short_window", "RATE_LIMIT_PASSWORD_RESET", "5/500ms", "shorter than 1s", nil},
		{"negative_delay", "SHUTDOWN_READINESS_DELAY", "-1s", "must not be negative", nil},
		{"delay_not_shorter", "SHUTDOWN_READINESS_DELAY", "10s", "must be shorter than SHUTDOWN_TIMEOUT (10s)", nil},
		{"delay_longer", "SHUTDOWN_READINESS_DELAY", "6s", "must be shorter than SHUTDOWN_TIMEOUT (5s)", env{"SHUTDOWN_TIMEOUT": "5s"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := env{tt.variable: tt.value}
			for k, v := range tt.extra {
				e[k] = v
			}
			_, err := Load(e.lookup, "")
			problems := problemsOf(t, err)
			if len(problems) != 1 || problems[0].Variable != tt.variable || !strings.Contains(problems[0].Message, tt.want) {
				t.Errorf("problems %v, want one on %s containing %q", problems, tt.variable, tt.want)
			}
		})
	}
}
