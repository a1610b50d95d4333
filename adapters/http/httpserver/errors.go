package httpserver

import (
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/rs/zerolog"

	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// statusOf is the one table that maps error kinds to HTTP statuses.
var statusOf = map[kernel.Kind]int{
	kernel.KindInvalid:             fiber.StatusBadRequest,
	kernel.KindUnauthenticated:     fiber.StatusUnauthorized,
	kernel.KindForbidden:           fiber.StatusForbidden,
	kernel.KindNotFound:            fiber.StatusNotFound,
	kernel.KindConflict:            fiber.StatusConflict,
	kernel.KindTooLarge:            fiber.StatusRequestEntityTooLarge,
	kernel.KindUnsupportedMedia:    fiber.StatusUnsupportedMediaType,
	kernel.KindLocked:              fiber.StatusLocked,
	kernel.KindRateLimited:         fiber.StatusTooManyRequests,
	kernel.KindUnavailable:         fiber.StatusServiceUnavailable,
	kernel.KindRangeNotSatisfiable: fiber.StatusRequestedRangeNotSatisfiable,
}

// ErrorBody is every non-422 error answer.
type ErrorBody struct {
	Detail string `json:"detail"`
	Code   string `json:"code,omitempty"`
}

// RetryAfterError carries a Retry-After time with a domain error (rate limits).
type RetryAfterError struct {
	Err   error
	After time.Duration
	// RateLimit, when set, is the state of the limit that refused: the
	// answer's RateLimit headers describe it.
	RateLimit *RateLimitState
}

// RateLimitState is what the RateLimit-Limit, RateLimit-Remaining and
// RateLimit-Reset headers say of a limit.
type RateLimitState struct {
	Limit, Remaining int
	// Reset is how long until the whole limit is available again.
	Reset time.Duration
}

// SetRateLimitHeaders sets the RateLimit headers of a limited route's answer
// (the IETF httpapi draft's fields; Reset in whole seconds, rounded up).
func SetRateLimitHeaders(c *fiber.Ctx, s RateLimitState) {
	c.Set(HeaderRateLimitLimit, strconv.Itoa(s.Limit))
	c.Set(HeaderRateLimitRemaining, strconv.Itoa(s.Remaining))
	c.Set(HeaderRateLimitReset, strconv.Itoa(int(math.Ceil(max(s.Reset, 0).Seconds()))))
}

// The RateLimit headers.
const (
	HeaderRateLimitLimit     = "RateLimit-Limit"
	HeaderRateLimitRemaining = "RateLimit-Remaining"
	HeaderRateLimitReset     = "RateLimit-Reset"
)

func (e *RetryAfterError) Error() string { return e.Err.Error() }

// Unwrap exposes the domain error.
func (e *RetryAfterError) Unwrap() error { return e.Err }

// errorHandler renders every error in the contract's shapes. Handlers just return err.
func errorHandler(log zerolog.Logger, now func() time.Time) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		baseHeaders(c) // errors fasthttp raises before the middleware runs (413) lack them
		var verr *ValidationError
		if errors.As(err, &verr) {
			return c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{"detail": verr.Problems})
		}
		var derr *kernel.Error
		if errors.As(err, &derr) {
			// A domain invariant about one input field is shown as a 422 on that field.
			if derr.Kind == kernel.KindInvalid && derr.Field != "" {
				typ := "value_error"
				if derr.Missing {
					typ = "missing"
				}
				return c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{"detail": []FieldError{{
					Type: typ, Loc: []any{"body", derr.Field}, Msg: derr.Message, Input: nil,
				}}})
			}
			status, ok := statusOf[derr.Kind]
			if !ok {
				return internal(c, log, err)
			}
			switch status {
			case fiber.StatusUnauthorized:
				c.Set(fiber.HeaderWWWAuthenticate, "Bearer")
			case fiber.StatusLocked:
				var locked *identity.LockedError
				if errors.As(err, &locked) {
					c.Set(fiber.HeaderRetryAfter, retryAfter(locked.Until.Sub(now())))
				}
			case fiber.StatusServiceUnavailable:
				c.Set(fiber.HeaderRetryAfter, "5")
				log.Warn().Err(err).Str("request_id", RequestID(c)).Msg("store unavailable")
			}
			var ra *RetryAfterError
			if errors.As(err, &ra) {
				c.Set(fiber.HeaderRetryAfter, retryAfter(ra.After))
				if ra.RateLimit != nil {
					SetRateLimitHeaders(c, *ra.RateLimit)
				}
			}
			return c.Status(status).JSON(ErrorBody{Detail: derr.Message, Code: derr.Code})
		}
		var ferr *fiber.Error
		if errors.As(err, &ferr) {
			return fiberError(c, ferr)
		}
		return internal(c, log, err)
	}
}

// fiberErrors are the answers to the errors Fiber and fasthttp raise
// themselves (no route, a malformed request, a body over the limit); an empty
// detail is Fiber's message.
var fiberErrors = map[int]ErrorBody{
	fiber.StatusNotFound:              {Detail: "Not Found", Code: "not_found"},
	fiber.StatusMethodNotAllowed:      {Code: "method_not_allowed"},
	fiber.StatusRequestEntityTooLarge: {Detail: ErrBodyTooLarge.Message, Code: ErrBodyTooLarge.Code},
	fiber.StatusBadRequest:            {Code: "bad_request"},
	fiber.StatusUnsupportedMediaType:  {Code: ErrUnsupportedMedia.Code},
	fiber.StatusRequestTimeout:        {Code: "request_timeout"},
}

func fiberError(c *fiber.Ctx, ferr *fiber.Error) error {
	if ferr.Code >= 500 {
		return c.Status(fiber.StatusInternalServerError).JSON(ErrorBody{Detail: "Internal Server Error"})
	}
	body, ok := fiberErrors[ferr.Code]
	if !ok {
		body = ErrorBody{Code: "http_error"}
	}
	if body.Detail == "" {
		body.Detail = ferr.Message
	}
	return c.Status(ferr.Code).JSON(body)
}

func internal(c *fiber.Ctx, log zerolog.Logger, err error) error {
	log.Error().Err(err).Str("request_id", RequestID(c)).Str("route", c.Route().Path).Msg("internal error")
	return c.Status(fiber.StatusInternalServerError).JSON(ErrorBody{Detail: "Internal Server Error"})
}

func retryAfter(d time.Duration) string {
	secs := int(math.Ceil(d.Seconds()))
	if secs < 1 {
		secs = 1
	}
	return strconv.Itoa(secs)
}
