package wiring

import (
	"context"
	"errors"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/rs/zerolog"
	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/crypto/jwtkeys"
	"github.com/civicdatatrust/civictrust/adapters/http/accesshttp"
	"github.com/civicdatatrust/civictrust/adapters/http/apidoc"
	"github.com/civicdatatrust/civictrust/adapters/http/audithttp"
	"github.com/civicdatatrust/civictrust/adapters/http/communityhttp"
	"github.com/civicdatatrust/civictrust/adapters/http/datasethttp"
	"github.com/civicdatatrust/civictrust/adapters/http/governancehttp"
	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/adapters/http/identityhttp"
	"github.com/civicdatatrust/civictrust/adapters/http/ratelimithttp"
	"github.com/civicdatatrust/civictrust/adapters/metrics"
	"github.com/civicdatatrust/civictrust/application/accessapp"
	"github.com/civicdatatrust/civictrust/configs"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/communityport"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Listener is the address the HTTP server listens on once started.
type Listener struct{ net.Listener }

// HTTP provides the Fiber server and starts and drains it with the app.
func HTTP() fx.Option {
	return fx.Options(
		fx.Provide(newServer, newListener,
			// Decisions come from the access context; benchmarks decorate this to measure its cost.
			func(a *accessapp.Service) httpserver.Authorizer { return a },
		),
		fx.Invoke(func(*httpserver.Server, *Listener) {}, registerBuildInfo),
		operations(),
		governanceJobs(),
		uploadSweeper(),
	)
}

type serverDeps struct {
	fx.In
	Config configs.Config
	Log    zerolog.Logger
	Auth   identityport.AuthService
	Users  identityport.UserService
	Keys   *jwtkeys.KeySet
	Access *accessapp.Service
	// Communities serves the communities tag.
	Communities communityport.Service
	Datasets    datasetport.Service
	Governance  governanceport.Service
	Audit       auditport.Service
	Authz       httpserver.Authorizer
	Health      platformport.HealthChecker
	Clock       platformport.Clock
	// Metrics and Limits are the operations module's (operations.go).
	Metrics *metrics.Metrics
	Limits  *ratelimithttp.Guard
	// Build names the version /healthz reports (absent: "dev").
	Build BuildInfo `optional:"true"`
}

func newServer(d serverDeps) *httpserver.Server {
	var routes []httpserver.Route
	routes = append(routes, identityhttp.New(d.Auth, d.Users, d.Keys).Routes()...)
	routes = append(routes, accesshttp.New(d.Access).Routes()...)
	routes = append(routes, communityhttp.New(d.Communities).Routes()...)
	routes = append(routes, datasethttp.New(d.Datasets, d.Config.MaxUploadBytes).Routes()...)
	routes = append(routes, governancehttp.New(d.Governance).Routes()...)
	routes = append(routes, audithttp.New(d.Audit).Routes()...)
	srv := httpserver.New(httpserver.Options{
		Log:            d.Log,
		CORSOrigins:    d.Config.CORSAllowOrigins,
		TrustedProxies: d.Config.TrustedProxies,
		BodyLimit:      int(min(d.Config.MaxUploadBytes+(1<<20), 1<<40)),
		Health:         d.Health,
		Authn:          d.Auth,
		Authz:          d.Authz,
		Denials:        d.Access,
		Routes:         routes,
		Now:            d.Clock.Now,
		Observe:        d.Metrics.Middleware(),
		Before:         rateLimitHook(d.Config, d.Limits),
		// A full-size upload must fit at 64 KiB/s (a poor mobile link), and
		// never gets less than ten minutes.
		UploadReadTimeout: max(10*time.Minute, time.Duration(d.Config.MaxUploadBytes/(64<<10))*time.Second),
		Version:           d.Build.Version,
	})
	apidoc.Register(srv.App)
	return srv
}

// newListener listens when the app starts and drains when it stops: readiness
// turns 503 first (for SHUTDOWN_READINESS_DELAY the listener still serves),
// then in-flight requests get the rest of SHUTDOWN_TIMEOUT, then what still
// runs is aborted (see httpserver.Server.Shutdown).
//
// The listener is wrapped (httpserver.Listener) so that running out of
// descriptors or hitting MAX_CONNECTIONS sheds connections instead of stopping
// the server. Should serving still end for another reason, the process stops
// with exit code 1, so that a supervisor restarts it rather than leaving a
// live process that accepts nothing.
func newListener(lc fx.Lifecycle, sd fx.Shutdowner, cfg configs.Config, srv *httpserver.Server, log zerolog.Logger) *Listener {
	l := &Listener{}
	lc.Append(fx.Hook{
		OnStart: func(ctx context.Context) error {
			raw, err := net.Listen("tcp", cfg.HTTPAddr)
			if err != nil {
				return err
			}
			ln := httpserver.NewListener(raw, httpserver.ListenerOptions{
				MaxConns: cfg.MaxConnections, MaxConnsPerAddr: cfg.MaxConnectionsPerAddr,
				Exempt: cfg.TrustedProxies, Log: log,
			})
			l.Listener = ln
			warnIfFewDescriptors(log, cfg.MaxConnections)
			go func() {
				if err := srv.App.Listener(ln); err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
					log.Error().Err(err).Msg("http server stopped; stopping the process")
					_ = sd.Shutdown(fx.ExitCode(1))
				}
			}()
			log.Info().Str("addr", ln.Addr().String()).Int("gomaxprocs", runtime.GOMAXPROCS(0)).Msg("listening")
			return nil
		},
		OnStop: func(ctx context.Context) error {
			return srv.Shutdown(ctx, httpserver.ShutdownOptions{
				Timeout: cfg.ShutdownTimeout, ReadinessDelay: cfg.ShutdownReadinessDelay,
			})
		},
	})
	return l
}
