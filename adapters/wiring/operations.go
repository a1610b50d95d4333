package wiring

import (
	"context"
	"errors"
	"fmt"
	stdlog "log"
	"net"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/rs/zerolog"
	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/adapters/http/ratelimithttp"
	"github.com/civicdatatrust/civictrust/adapters/metrics"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/configs"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// rateLimitPurgeInterval is how often each replica deletes the rate-limit keys
// idle for a while (deleting is idempotent, so replicas may overlap).
const rateLimitPurgeInterval = 5 * time.Minute

// MetricsListener is the address GET /metrics listens on once started (its
// Listener is nil when METRICS_ADDR is off).
type MetricsListener struct{ net.Listener }

// operations is what the HTTP graph adds for running the service: the
// Prometheus registry and its collectors on their own listener, the decorators
// that feed them, and the rate limits. The store modules provide the
// platformport.RateLimitStore.
func operations() fx.Option {
	return fx.Options(
		fx.Provide(newRegistry, newMetrics, newMetricsListener, newRateLimiter, newRateLimitGuard),
		fx.Invoke(func(*MetricsListener) {}),
		fx.Decorate(
			func(b platformport.BlobStore, m *metrics.Metrics) platformport.BlobStore { return m.Blobs(b) },
			func(u identityport.UserRepository, m *metrics.Metrics, clock platformport.Clock) identityport.UserRepository {
				return m.Users(u, clock.Now)
			},
			func(a identityport.AuthService, g *ratelimithttp.Guard, cfg configs.Config) identityport.AuthService {
				if !cfg.RateLimits {
					return a
				}
				return g.Auth(a) // per-account limits; the per-address ones run in the server (rateLimitHook)
			},
		),
		fx.Invoke(registerRateLimitPurger),
	)
}

// newRegistry is the process's metric registry, with the Go runtime and
// process collectors (never prometheus.DefaultRegisterer: no global state).
func newRegistry() (*prometheus.Registry, error) {
	reg := prometheus.NewRegistry()
	for _, c := range []prometheus.Collector{
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return reg, nil
}

// Timeouts of the metrics listener: a scrape is one small GET.
const (
	metricsReadTimeout  = 10 * time.Second
	metricsWriteTimeout = 30 * time.Second
	metricsIdleTimeout  = 2 * time.Minute
)

// newMetricsListener serves GET /metrics on METRICS_ADDR, apart from the
// public port, so that what the numbers tell (routes, outcomes, volumes)
// never reaches the Internet through the API's ingress.
func newMetricsListener(lc fx.Lifecycle, cfg configs.Config, reg *prometheus.Registry, log zerolog.Logger) *MetricsListener {
	l := &MetricsListener{}
	if cfg.MetricsAddr == "" {
		return l
	}
	srv := &http.Server{
		Handler:           metrics.Handler(reg),
		ReadHeaderTimeout: metricsReadTimeout, ReadTimeout: metricsReadTimeout,
		WriteTimeout: metricsWriteTimeout, IdleTimeout: metricsIdleTimeout,
		ErrorLog: stdlog.New(log.With().Str("component", "metrics").Logger(), "", 0),
	}
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			ln, err := net.Listen("tcp", cfg.MetricsAddr)
			if err != nil {
				return fmt.Errorf("metrics listener (METRICS_ADDR): %w", err)
			}
			l.Listener = ln
			go func() {
				if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
					log.Error().Err(err).Msg("metrics server stopped")
				}
			}()
			log.Info().Str("addr", ln.Addr().String()).Msg("metrics listening")
			return nil
		},
		OnStop: func(ctx context.Context) error { return srv.Shutdown(ctx) },
	})
	return l
}

func newMetrics(reg *prometheus.Registry) (*metrics.Metrics, error) { return metrics.New(reg) }

func newRateLimiter(store platformport.RateLimitStore, clock platformport.Clock) *ratelimithttp.Limiter {
	return ratelimithttp.NewLimiter(store, clock.Now)
}

func newRateLimitGuard(l *ratelimithttp.Limiter, cfg configs.Config) *ratelimithttp.Guard {
	p := cfg.RateLimitPolicies
	limit := func(r configs.RateLimit) ratelimithttp.Limit {
		return ratelimithttp.Limit{Count: r.Count, Window: r.Window}
	}
	return ratelimithttp.New(l, ratelimithttp.Limits{
		Signup: limit(p.Signup), Login: limit(p.Login), Refresh: limit(p.Refresh),
		PasswordResetRequest: limit(p.PasswordResetRequest), PasswordReset: limit(p.PasswordReset),
		VerifyEmail: limit(p.VerifyEmail), ResendVerification: limit(p.ResendVerification),
		LoginAccount: limit(p.LoginAccount), PasswordResetRequestAccount: limit(p.PasswordResetRequestAccount),
		ResendVerificationAccount: limit(p.ResendVerificationAccount),
	}, cfg.TrustedProxies)
}

// rateLimitHook is the server's Before hook: the per-address limits, or
// nothing with RATE_LIMITS=off.
func rateLimitHook(cfg configs.Config, g *ratelimithttp.Guard) func(*fiber.Ctx, httpserver.Route) error {
	if !cfg.RateLimits {
		return nil
	}
	return g.Before
}

// registerRateLimitPurger deletes idle keys in the background while the app
// runs.
func registerRateLimitPurger(lc fx.Lifecycle, cfg configs.Config, l *ratelimithttp.Limiter, log zerolog.Logger) {
	if !cfg.RateLimits {
		return
	}
	var cancel context.CancelFunc
	done := make(chan struct{})
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			var ctx context.Context
			ctx, cancel = context.WithCancel(context.Background()) //nolint:gosec // G118: OnStop calls cancel
			go func() {
				defer close(done)
				l.RunPurger(ctx, rateLimitPurgeInterval, func(err error) {
					log.Warn().Err(err).Msg("purge idle rate-limit keys")
				})
			}()
			return nil
		},
		OnStop: func(ctx context.Context) error {
			cancel()
			select {
			case <-done:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		},
	})
}

// storeObserver is the metrics of the HTTP graph, when there are any (the CLI
// graph has none): the Mongo client then reports every command's latency.
type storeObserver struct {
	fx.In
	Metrics *metrics.Metrics `optional:"true"`
}

func (o storeObserver) options() []mongostore.ConnectOption {
	if o.Metrics == nil {
		return nil
	}
	return []mongostore.ConnectOption{mongostore.WithMonitor(o.Metrics.CommandMonitor())}
}
