package wiring

import (
	"github.com/rs/zerolog"
	"go.uber.org/fx/fxevent"
)

// fxLogger sends fx's own events to zerolog at trace level. A failed start
// is logged at debug only: the error reaches whoever called Start, and the
// command line prints its cause once, in one line (fx's own message names
// every constructor on the way to it).
type fxLogger struct{ log zerolog.Logger }

func (l fxLogger) LogEvent(e fxevent.Event) {
	switch ev := e.(type) {
	case *fxevent.OnStartExecuted:
		if ev.Err != nil {
			l.log.Debug().Err(ev.Err).Str("callee", ev.FunctionName).Msg("start hook failed")
		}
	case *fxevent.OnStopExecuted:
		if ev.Err != nil {
			l.log.Error().Err(ev.Err).Str("callee", ev.FunctionName).Msg("stop hook failed")
		}
	case *fxevent.Started:
		if ev.Err != nil {
			l.log.Debug().Err(ev.Err).Msg("start failed")
		}
	case *fxevent.Invoked:
		if ev.Err != nil {
			l.log.Debug().Err(ev.Err).Str("function", ev.FunctionName).Msg("invoke failed")
		}
	default:
		l.log.Trace().Msgf("fx: %T", e)
	}
}
