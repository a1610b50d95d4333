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
	// Denials, when set, records the requests the guard refuses for want of
	// a module.
	Denials DenialRecorder
	Routes  []Route
	Now     func() time.Time
	// Observe, when set, wraps every request outside the request id, logging
	// and error rendering, so that it sees the final status (metrics).
	Observe fiber.Handler
	// Before, when set, runs after a route's guard and before its handler
	// (rate limits); an error is the request's answer.
	Before func(c *fiber.Ctx, r Route) error
	// ReadTimeout bounds reading a request (default DefaultReadTimeout).
	ReadTimeout time.Duration
	// UploadReadTimeout bounds reading the rest of an upload's body, instead
	// of ReadTimeout when longer, once its handler called AllowSlowBody.
	UploadReadTimeout time.Duration
	// Version is the build's version, reported by GET /healthz ("dev" when empty).
	Version string
}

// DefaultReadTimeout bounds reading a request that is not an upload.
const DefaultReadTimeout = 60 * time.Second

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
	log      zerolog.Logger
	// base is every request's user context; abort cancels it when the
	// shutdown grace is over (see Shutdown).
	base  context.Context
	abort context.CancelFunc
	// inFlight counts the requests whose handlers run.
	inFlight atomic.Int64
	// conns are the open connections that have not reached a handler yet.
	conns unusedConns
	// limits are the routes' MaxBody, for requests refused on their header.
	limits bodyLimits
	// slowBody is the read timeout AllowSlowBody gives (0: none).
	slowBody time.Duration
}

// New builds the app with every route registered behind its guard.
func New(o Options) *Server {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.BodyLimit <= 0 {
		o.BodyLimit = 4 * MaxJSONBody
	}
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = DefaultReadTimeout
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
		ReadTimeout:                  o.ReadTimeout,
		IdleTimeout:                  120 * time.Second,
		ProxyHeader:                  "", // never trust X-Forwarded-For by default: see ClientIP
	})
	s := &Server{App: app, routes: o.Routes, log: o.Log, limits: newBodyLimits(int64(o.BodyLimit), o.Routes)}
	if o.UploadReadTimeout > o.ReadTimeout {
		// An upload from a phone on a poor connection takes long: its handler
		// gives the body this deadline once the caller may upload.
		s.slowBody = o.UploadReadTimeout
	}
	s.base, s.abort = context.WithCancel(context.Background())
	app.Server().ConnState = s.trackConn
	app.Server().HeaderReceived = s.headerReceived
	if o.Observe != nil {
		app.Use(o.Observe)
	}
	app.Use(requestContext(o.Log, errHandler))
	app.Use(refusedEarly)
	app.Use(s.lifecycle)
	app.Use(cors.New(corsConfig(o.CORSOrigins)))
	version := o.Version
	if version == "" {
		version = "dev"
	}
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok", "version": version}) })
	app.Get("/readyz", s.ready(o.Health))
	for _, r := range o.Routes {
		r.Handler = withBefore(r, o.Before)
		app.Add(r.Method, r.Path, guard(r, o.Authn, o.Authz, o.Denials, o.TrustedProxies))
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
		AllowMethods: "GET,POST,PUT,PATCH,DELETE,OPTIONS,HEAD",
		// The tus headers are resumable uploads' (datasethttp), which a
		// browser's tus client sends and reads across origins.
		AllowHeaders: "Authorization,Content-Type,X-Request-ID,If-None-Match,Range," +
			"Tus-Resumable,Upload-Length,Upload-Offset,Upload-Metadata,Upload-Checksum,Upload-Defer-Length,Upload-Concat",
		ExposeHeaders: "X-Request-ID,X-Total-Count,Retry-After,ETag,Content-Disposition,Content-Range," +
			HeaderRateLimitLimit + "," + HeaderRateLimitRemaining + "," + HeaderRateLimitReset + "," +
			"Location,Tus-Resumable,Tus-Version,Tus-Extension,Tus-Max-Size,Tus-Checksum-Algorithm," +
			"Upload-Offset,Upload-Length,Upload-Metadata,Upload-Expires,Dataset-Location,Dataset-Id",
		MaxAge: 600,
	}
	if len(origins) == 0 || contains(origins, "*") {
		cfg.AllowOrigins = "*"
		return cfg
	}
	cfg.AllowOrigins = strings.Join(origins, ",")
	cfg.AllowCredentials = true
	return cfg
}
