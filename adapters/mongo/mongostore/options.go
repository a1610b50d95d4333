package mongostore

import (
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// ConnectOption adjusts the client Connect creates.
type ConnectOption func(*options.ClientOptions)

// WithMonitor reports every command the client sends to m (metrics).
func WithMonitor(m *event.CommandMonitor) ConnectOption {
	return func(o *options.ClientOptions) { o.SetMonitor(m) }
}
