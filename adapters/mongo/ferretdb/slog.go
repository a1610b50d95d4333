package ferretdb

import (
	"context"
	"log/slog"
	"strings"

	"github.com/rs/zerolog"
)

// zerologHandler is a slog.Handler that forwards records at warn level and
// above to a zerolog logger; FerretDB logs every connection at info level,
// which would drown the service's own logs.
type zerologHandler struct {
	log    zerolog.Logger
	attrs  []slog.Attr // attributes added with WithAttrs, keys already prefixed
	prefix string      // group prefix ("a.b.") for attributes of later records
}

// newSlogLogger returns a *slog.Logger that writes to log, dropping records below warn.
func newSlogLogger(log zerolog.Logger) *slog.Logger {
	return slog.New(&zerologHandler{log: log.With().Str("component", "ferretdb").Logger()})
}

// Enabled reports whether a record at level is forwarded.
func (h *zerologHandler) Enabled(_ context.Context, level slog.Level) bool {
	return level >= slog.LevelWarn
}

// Handle forwards r to zerolog.
func (h *zerologHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Level < slog.LevelWarn || isResponseDump(r.Message) {
		return nil
	}
	var ev *zerolog.Event
	if r.Level >= slog.LevelError {
		ev = h.log.Error()
	} else {
		ev = h.log.Warn()
	}
	for _, a := range h.attrs {
		ev = addAttr(ev, "", a)
	}
	r.Attrs(func(a slog.Attr) bool {
		ev = addAttr(ev, h.prefix, a)
		return true
	})
	ev.Msg(r.Message)
	return nil
}

// isResponseDump reports whether msg is FerretDB's dump of a command that
// failed. FerretDB logs every failed command (a duplicate key included) at warn
// level with its whole wire message; the caller gets the error anyway and
// decides whether it is worth logging, so these are treated as debug output.
func isResponseDump(msg string) bool {
	return strings.HasPrefix(msg, "Response header:") ||
		strings.HasPrefix(msg, "Response message:") ||
		strings.HasPrefix(msg, "Proxy response")
}

// WithAttrs returns a handler that adds attrs to every record.
func (h *zerologHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = make([]slog.Attr, 0, len(h.attrs)+len(attrs))
	c.attrs = append(c.attrs, h.attrs...)
	for _, a := range attrs {
		a.Key = h.prefix + a.Key
		c.attrs = append(c.attrs, a)
	}
	return &c
}

// WithGroup returns a handler that prefixes the keys of later attributes with name.
func (h *zerologHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.prefix = h.prefix + name + "."
	return &c
}

// addAttr adds a (flattening groups into dotted keys) to ev.
func addAttr(ev *zerolog.Event, prefix string, a slog.Attr) *zerolog.Event {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return ev
	}
	key := prefix + a.Key
	switch a.Value.Kind() {
	case slog.KindGroup:
		p := prefix
		if a.Key != "" {
			p = key + "."
		}
		for _, g := range a.Value.Group() {
			ev = addAttr(ev, p, g)
		}
		return ev
	case slog.KindString:
		return ev.Str(key, a.Value.String())
	case slog.KindInt64:
		return ev.Int64(key, a.Value.Int64())
	case slog.KindUint64:
		return ev.Uint64(key, a.Value.Uint64())
	case slog.KindFloat64:
		return ev.Float64(key, a.Value.Float64())
	case slog.KindBool:
		return ev.Bool(key, a.Value.Bool())
	case slog.KindDuration:
		return ev.Dur(key, a.Value.Duration())
	case slog.KindTime:
		return ev.Time(key, a.Value.Time())
	default:
		if err, ok := a.Value.Any().(error); ok {
			return ev.AnErr(key, err)
		}
		return ev.Str(key, strings.TrimSpace(a.Value.String()))
	}
}
