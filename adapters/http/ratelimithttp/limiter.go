// Package ratelimithttp enforces the contract's rate limits on the public
// authentication routes: per client address (ClientIP, so X-Forwarded-For
// counts only from TRUSTED_PROXIES) before a route's handler runs, and per
// account (the lower-cased email) for login and password-reset requests. Over a
// limit the answer is 429 with Retry-After, in the contract's error shape.
//
// The counts live in a platformport.RateLimitStore, so every replica counts
// against the same limits. The windows are fixed (aligned on the Unix epoch):
// request k of a subject in a window claims slot k, trying 1, 2, … until a
// claim succeeds — an insert refused on a duplicate primary key is the one
// atomic primitive the embedded store offers across processes (a conditional
// update or $inc is not atomic there). A per-process hint remembers the highest
// slot known to be taken, so a request usually costs one insert, and once a
// window is full this process answers 429 without asking the store at all.
package ratelimithttp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// ErrRateLimited is the contract's 429 answer.
var ErrRateLimited = kernel.NewError(kernel.KindRateLimited, "rate_limited", "Too many requests; try again later")

// Limit is at most Count requests per Window.
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

// maxHints bounds the per-process hint table; past it, windows that ended are
// dropped, and if that is not enough the table starts again (hints are only an
// optimisation: the store holds the truth).
const maxHints = 50_000

// purgeSlack keeps slots a little past the end of their window, for replicas
// whose clocks run behind.
const purgeSlack = time.Minute

type hint struct {
	taken int       // slots 1..taken are known to be taken
	ends  time.Time // end of the window
}

// Limiter counts requests in fixed windows in a RateLimitStore. It is safe for
// concurrent use.
type Limiter struct {
	store platformport.RateLimitStore
	now   func() time.Time

	mu    sync.Mutex
	hints map[string]hint
}

// NewLimiter returns a limiter on store; now tells the time.
func NewLimiter(store platformport.RateLimitStore, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{store: store, now: now, hints: map[string]hint{}}
}

// Allow counts one request of subject under rule. It returns nil within the
// limit; over it, a *httpserver.RetryAfterError that wraps ErrRateLimited and
// carries the time left in the window; a store failure is returned as is
// (unavailable: 503). A rule with a Count below 1 or no Window allows everything.
func (l *Limiter) Allow(ctx context.Context, rule Rule, subject string) error {
	if rule.Count < 1 || rule.Window <= 0 {
		return nil
	}
	now := l.now()
	start := now.Truncate(rule.Window)
	ends := start.Add(rule.Window)
	key := rule.Name + ":" + digest(subject)
	hintKey := key + "|" + strconv.FormatInt(start.Unix(), 10)

	for n := l.taken(hintKey) + 1; n <= rule.Count; n++ {
		ok, err := l.store.Claim(ctx, platformport.RateLimitSlot{Key: key, Window: start, Ends: ends, N: n})
		if err != nil {
			return err
		}
		if ok {
			l.remember(hintKey, n, ends, now)
			return nil
		}
	}
	l.remember(hintKey, rule.Count, ends, now)
	return &httpserver.RetryAfterError{Err: ErrRateLimited, After: ends.Sub(now)}
}

// Purge deletes the slots of windows that ended (with some slack) from the
// store, and the hints of those windows.
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

func (l *Limiter) taken(k string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.hints[k].taken
}

func (l *Limiter) remember(k string, taken int, ends, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if h, ok := l.hints[k]; ok && h.taken >= taken {
		return
	}
	if len(l.hints) >= maxHints {
		l.sweep(now)
		if len(l.hints) >= maxHints {
			clear(l.hints)
		}
	}
	l.hints[k] = hint{taken: taken, ends: ends}
}

// sweep drops the hints of windows that ended; l.mu is held.
func (l *Limiter) sweep(now time.Time) {
	for k, h := range l.hints {
		if !h.ends.After(now) {
			delete(l.hints, k)
		}
	}
}

// digest keeps addresses and emails out of the store, at a fixed length.
func digest(subject string) string {
	sum := sha256.Sum256([]byte(subject))
	return hex.EncodeToString(sum[:16])
}

// account is the per-account subject: the email as the store keeps it.
func account(email string) string { return strings.ToLower(strings.TrimSpace(email)) }
