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
				return c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{"detail": []FieldError{{
					Type: "value_error", Loc: []any{"body", derr.Field}, Msg: derr.Message, Input: nil,
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

func fiberError(c *fiber.Ctx, ferr *fiber.Error) error {
	code := map[int]string{
		fiber.StatusNotFound:              "not_found",
		fiber.StatusMethodNotAllowed:      "method_not_allowed",
		fiber.StatusRequestEntityTooLarge: "body_too_large",
		fiber.StatusBadRequest:            "bad_request",
		fiber.StatusUnsupportedMediaType:  "unsupported_media_type",
		fiber.StatusRequestTimeout:        "request_timeout",
	}[ferr.Code]
	if ferr.Code >= 500 {
		return c.Status(fiber.StatusInternalServerError).JSON(ErrorBody{Detail: "Internal Server Error"})
	}
	if code == "" {
		code = "http_error"
	}
	detail := ferr.Message
	switch ferr.Code {
	case fiber.StatusNotFound:
		detail = "Not Found"
	case fiber.StatusRequestEntityTooLarge:
		detail = ErrBodyTooLarge.Message
	}
	return c.Status(ferr.Code).JSON(ErrorBody{Detail: detail, Code: code})
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
