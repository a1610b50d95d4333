package identityhttp_test

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/ports/platformport"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

// laterClock is the service's clock moved forward by what the test adds.
type laterClock struct {
	platformport.Clock
	ahead *atomic.Int64 // nanoseconds
}

func (c laterClock) Now() time.Time { return c.Clock.Now().Add(time.Duration(c.ahead.Load())) }

// Two tabs of a web app, or a mobile app firing two requests, refresh with
// one token at once: within REFRESH_REUSE_INTERVAL (default 10 s) both are
// answered with tokens that work and the session lives; later, the token
// rotated away is a stolen one.
func TestRefreshReuseInterval(t *testing.T) {
	var ahead atomic.Int64
	app := apitest.Start(t, apitest.WithFxOption(fx.Decorate(func(c platformport.Clock) platformport.Clock {
		return laterClock{Clock: c, ahead: &ahead}
	})))
	if got := app.Config.RefreshReuseInterval; got != 10*time.Second {
		t.Fatalf("REFRESH_REUSE_INTERVAL defaults to %v, want 10s", got)
	}

	t.Run("concurrent_refreshes_of_one_token_both_succeed_and_the_session_lives", func(t *testing.T) {
		_, tok := newMember(t, app, "tabs")
		rs := porttestkit.AtOnce(2, func(int) *apitest.Response { return refresh(app, tok.Refresh) })
		for i, r := range rs {
			r.Expect(t, http.StatusOK)
			if r.Str("refresh_token") == tok.Refresh {
				t.Fatalf("answer %d: the refresh token was not rotated", i)
			}
			if sessionID(t, r.Str("access_token")) != sessionID(t, tok.Access) {
				t.Errorf("answer %d opened another session", i)
			}
			me(app, r.Str("access_token")).Expect(t, http.StatusOK)
		}
		// Both callers hold the one secret the session accepts, so whichever
		// answer the client keeps goes on working long after the interval.
		if a, b := rs[0].Str("refresh_token"), rs[1].Str("refresh_token"); a != b {
			t.Errorf("two refresh tokens for one session: %q and %q", a, b)
		}
		ahead.Add(int64(time.Minute))
		next := refresh(app, rs[1].Str("refresh_token")).Expect(t, http.StatusOK)
		me(app, next.Str("access_token")).Expect(t, http.StatusOK)
		me(app, tok.Access).Expect(t, http.StatusOK)
	})

	t.Run("a_retried_refresh_within_the_interval_gets_the_same_token", func(t *testing.T) {
		_, tok := newMember(t, app, "retry")
		first := refresh(app, tok.Refresh).Expect(t, http.StatusOK)
		ahead.Add(int64(9 * time.Second))
		again := refresh(app, tok.Refresh).Expect(t, http.StatusOK)
		if again.Str("refresh_token") != first.Str("refresh_token") {
			t.Errorf("the retry got another refresh token")
		}
		me(app, again.Str("access_token")).Expect(t, http.StatusOK)
		me(app, first.Str("access_token")).Expect(t, http.StatusOK)
	})

	t.Run("reuse_after_the_interval_revokes_the_session", func(t *testing.T) {
		_, tok := newMember(t, app, "thief")
		rotated := refresh(app, tok.Refresh).Expect(t, http.StatusOK)
		ahead.Add(int64(11 * time.Second))
		r := refresh(app, tok.Refresh)
		expectCode(t, r, http.StatusUnauthorized, "Refresh token already used; the session has been revoked", "refresh_token_reused")
		expectUnauthorized(t, refresh(app, rotated.Str("refresh_token")), msgInvalidRefresh)
		expectUnauthorized(t, me(app, rotated.Str("access_token")), msgInvalidToken)
	})
}
