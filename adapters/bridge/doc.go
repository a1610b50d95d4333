// Package bridge translates between bounded contexts: each type serves one
// context's driven port from another context's port, mapping types and
// errors and nothing else, so that the contexts never import each other
// and the composition root only calls constructors. A rule found here
// belongs in the context that owns it.
package bridge
