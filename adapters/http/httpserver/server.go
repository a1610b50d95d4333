// Package httpserver is the shared HTTP plumbing: the Fiber app, the contract's
// error shapes, request ids, logging, security headers, CORS, health and guards.
package httpserver

import (
	"context"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/cors"
	"github.com/rs/zerolog"

	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Options configure the server.
type Options struct {
	Log            zerolog.Logger
	CORSOrigins    []string
	TrustedProxies []netip.Prefix
	// BodyLimit is the largest request body fasthttp accepts at all (uploads);
	// JSON bodies have their own 1 MiB limit.
	BodyLimit int
	Health    platformport.HealthChecker
	Authn     Authenticator
	Authz     Authorizer
	Routes    []Route
	Now       func() time.Time
}

// MaxHeaderBytes bounds a request's header block (fasthttp's read buffer);
// larger requests get a 431. fasthttp's default, 4 KiB, answered 431 to a
// request with an oversized bearer token instead of letting the guard give the
// contract's 401.
const MaxHeaderBytes = 16 << 10

// Server is the Fiber app and what tests need to inspect it.
type Server struct {
	App      *fiber.App
	routes   []Route
	draining atomic.Bool
}

// New builds the app with every route registered behind its guard.
func New(o Options) *Server {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.BodyLimit <= 0 {
		o.BodyLimit = 4 * MaxJSONBody
	}
	errHandler := errorHandler(o.Log, o.Now)
	app := fiber.New(fiber.Config{
		AppName:        "civictrust",
		StrictRouting:  false,
		CaseSensitive:  true,
		BodyLimit:      o.BodyLimit,
		ReadBufferSize: MaxHeaderBytes,
		// Bodies are streamed to handlers (only the first few KiB are read ahead):
		// uploads are piped to the blob store, JSON bodies are read through a
		// 1 MiB limit, and no route can be made to buffer a large body.
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		DisableStartupMessage:        true,
		ErrorHandler:                 errHandler,
		ReadTimeout:                  60 * time.Second,
		IdleTimeout:                  120 * time.Second,
		ProxyHeader:                  "", // never trust X-Forwarded-For by default: see ClientIP
	})
	s := &Server{App: app, routes: o.Routes}
	app.Use(requestContext(o.Log, errHandler))
	app.Use(cors.New(corsConfig(o.CORSOrigins)))
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok"}) })
	app.Get("/readyz", s.ready(o.Health))
	for _, r := range o.Routes {
		app.Add(r.Method, r.Path, guard(r, o.Authn, o.Authz))
	}
	return s
}

// Routes returns every guarded route (for tests that walk the router).
func (s *Server) Routes() []Route { return s.routes }

// Drain makes /readyz answer 503 so that load balancers stop sending traffic
// before the listener closes.
func (s *Server) Drain() { s.draining.Store(true) }

func (s *Server) ready(h platformport.HealthChecker) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if s.draining.Load() {
			return c.Status(fiber.StatusServiceUnavailable).JSON(ErrorBody{Detail: "Shutting down", Code: "shutting_down"})
		}
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		if h != nil {
			if err := h.Ping(ctx); err != nil {
				return c.Status(fiber.StatusServiceUnavailable).JSON(ErrorBody{Detail: "Database unavailable", Code: "database_unavailable"})
			}
		}
		return c.JSON(fiber.Map{"status": "ok"})
	}
}

func corsConfig(origins []string) cors.Config {
	cfg := cors.Config{
		AllowMethods:  "GET,POST,PUT,PATCH,DELETE,OPTIONS,HEAD",
		AllowHeaders:  "Authorization,Content-Type,X-Request-ID,If-None-Match,Range",
		ExposeHeaders: "X-Request-ID,X-Total-Count,Retry-After,ETag,Content-Disposition,Content-Range",
		MaxAge:        600,
	}
	if len(origins) == 0 || contains(origins, "*") {
		cfg.AllowOrigins = "*"
		return cfg
	}
	cfg.AllowOrigins = strings.Join(origins, ",")
	cfg.AllowCredentials = true
	return cfg
}
