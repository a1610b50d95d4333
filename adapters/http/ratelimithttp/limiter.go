// Package ratelimithttp enforces the contract's rate limits on the public
// authentication routes: per client address (ClientIP, so X-Forwarded-For
// counts only from TRUSTED_PROXIES; an IPv6 client's /64 is one address)
// before a route's handler runs, and per account for login, password-reset
// requests and verification mails. Limited routes answer with RateLimit-Limit,
// RateLimit-Remaining and RateLimit-Reset; over a limit the answer is 429
// with Retry-After, in the contract's error shape.
//
// A limit of count requests per window is a GCRA (see
// platformport.RateLimitStep): count requests at once, then one per
// window/count — a window that slides, so that no boundary lets twice the
// count through. The state lives in a platformport.RateLimitStore, so every
// replica counts against the same limits.
package ratelimithttp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// ErrRateLimited is the contract's 429 answer.
var ErrRateLimited = kernel.NewError(kernel.KindRateLimited, "rate_limited", "Too many requests; try again later")

// Limit is at most Count requests per Window, sliding.
type Limit struct {
	Count  int
	Window time.Duration
}

// Rule is a named limit; the name is part of the stored key, so it must stay
// stable across releases and replicas.
type Rule struct {
	Name string
	Limit
}

// interval and tolerance are the rule's GCRA parameters: one request per
// interval, count of them at once.
func (r Rule) interval() time.Duration {
	return (r.Window + time.Duration(r.Count) - 1) / time.Duration(r.Count) // rounded up: never more than Count per Window
}

func (r Rule) tolerance() time.Duration { return time.Duration(r.Count-1) * r.interval() }

// Decision is what the limiter decided for one request, for the RateLimit
// headers.
type Decision struct {
	Allowed bool
	// Limit is the rule's count.
	Limit int
	// Remaining is how many more requests would be allowed now.
	Remaining int
	// Reset is how long until the whole count is available again.
	Reset time.Duration
	// RetryAfter is how long until the next request is allowed (refused
	// requests only).
	RetryAfter time.Duration
}

// state is what the RateLimit headers say of the decision.
func (d Decision) state() *httpserver.RateLimitState {
	return &httpserver.RateLimitState{Limit: d.Limit, Remaining: d.Remaining, Reset: d.Reset}
}

// decide turns a key's TAT into a decision.
func decide(r Rule, now time.Time, res platformport.RateLimitResult) Decision {
	ahead := max(res.TAT.Sub(now), 0) // how much of the window is used
	d := Decision{Allowed: res.Allowed, Limit: r.Count, Reset: ahead}
	room := r.tolerance() + r.interval() - ahead
	d.Remaining = max(int(room/r.interval()), 0)
	if !res.Allowed {
		d.Remaining = 0
		d.RetryAfter = max(ahead-r.tolerance(), time.Second)
	}
	return d
}

// maxHints bounds the per-process table of TATs known to refuse; past it, the
// stale ones are dropped, and if that is not enough it starts again (hints
// only spare the store a request: it holds the truth).
const maxHints = 50_000

// purgeSlack keeps keys a little past their TAT, for replicas whose clocks
// run behind.
const purgeSlack = time.Minute

// Limiter counts requests in a RateLimitStore. It is safe for concurrent use.
//
// Each step is one atomic step in the store, which holds the truth for every
// replica. One thing stays in the process: a TAT the store returned is a
// lower bound of the key's TAT until it is purged, so while it refuses, a
// request is refused here without a round trip — a flood from one address
// costs the store nothing (on the embedded store, no write transaction).
type Limiter struct {
	store platformport.RateLimitStore
	now   func() time.Time

	mu    sync.Mutex
	hints map[string]time.Time // key → a TAT the store returned
}

// NewLimiter returns a limiter on store; now tells the time.
func NewLimiter(store platformport.RateLimitStore, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{store: store, now: now, hints: map[string]time.Time{}}
}

// Take counts one request of subject under rule and says what was decided.
// A rule with a Count below 1 or no Window allows everything (a zero
// Decision with Allowed set); a store failure is returned as is
// (unavailable: 503).
func (l *Limiter) Take(ctx context.Context, rule Rule, subject string) (Decision, error) {
	if rule.Count < 1 || rule.Window <= 0 {
		return Decision{Allowed: true}, nil
	}
	key := rule.Name + ":" + digest(subject)
	now := l.now()
	if tat, ok := l.hint(key); ok && tat.Sub(now) > rule.tolerance() {
		return decide(rule, now, platformport.RateLimitResult{TAT: tat}), nil
	}
	res, err := l.store.Step(ctx, platformport.RateLimitStep{Key: key, Now: now, Interval: rule.interval(), Tolerance: rule.tolerance()})
	if err != nil {
		return Decision{}, err
	}
	if res.TAT.Sub(now) > rule.tolerance() { // the next request would be refused
		l.remember(key, res.TAT, now)
	}
	return decide(rule, now, res), nil
}

// Allow is Take that returns nil within the limit and, over it, a
// *httpserver.RetryAfterError that wraps ErrRateLimited and carries the
// decision.
func (l *Limiter) Allow(ctx context.Context, rule Rule, subject string) error {
	d, err := l.Take(ctx, rule, subject)
	if err != nil {
		return err
	}
	return refusal(d)
}

// refusal is the error of a refused decision, nil for an allowed one.
func refusal(d Decision) error {
	if d.Allowed {
		return nil
	}
	return &httpserver.RetryAfterError{Err: ErrRateLimited, After: d.RetryAfter, RateLimit: d.state()}
}

// Purge deletes from the store the keys idle for a while, and the hints that
// refuse nothing any more.
func (l *Limiter) Purge(ctx context.Context) (int64, error) {
	now := l.now()
	l.mu.Lock()
	l.sweep(now)
	l.mu.Unlock()
	return l.store.Purge(ctx, now.Add(-purgeSlack))
}

// RunPurger purges every interval until ctx is done; report receives the
// failures (a store that is away) and is called from this goroutine.
func (l *Limiter) RunPurger(ctx context.Context, every time.Duration, report func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := l.Purge(ctx); err != nil && ctx.Err() == nil && report != nil {
				report(err)
			}
		}
	}
}

func (l *Limiter) hint(key string) (time.Time, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	tat, ok := l.hints[key]
	return tat, ok
}

func (l *Limiter) remember(key string, tat, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if old, ok := l.hints[key]; ok && !tat.After(old) {
		return
	}
	if len(l.hints) >= maxHints {
		l.sweep(now)
		if len(l.hints) >= maxHints {
			clear(l.hints)
		}
	}
	l.hints[key] = tat
}

// sweep drops the hints whose TAT has passed (they refuse nothing); l.mu is
// held.
func (l *Limiter) sweep(now time.Time) {
	for k, tat := range l.hints {
		if !tat.After(now) {
			delete(l.hints, k)
		}
	}
}

// digest keeps addresses and emails out of the store, at a fixed length.
func digest(subject string) string {
	sum := sha256.Sum256([]byte(subject))
	return hex.EncodeToString(sum[:16])
}

// account is the per-account subject of an email: as the store keeps it.
func account(email string) string { return strings.ToLower(strings.TrimSpace(email)) }
