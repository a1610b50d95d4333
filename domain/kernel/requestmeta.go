package kernel

import "context"

type requestMetaKey struct{}

// WithRequestMeta returns ctx carrying m. The HTTP guard sets it on every
// request, so that use cases record where an action came from (audit events)
// without a parameter on every signature.
func WithRequestMeta(ctx context.Context, m RequestMeta) context.Context {
	return context.WithValue(ctx, requestMetaKey{}, m)
}

// RequestMetaFrom returns the RequestMeta ctx carries (zero when none: a CLI
// verb or a background job).
func RequestMetaFrom(ctx context.Context) RequestMeta {
	m, _ := ctx.Value(requestMetaKey{}).(RequestMeta)
	return m
}
